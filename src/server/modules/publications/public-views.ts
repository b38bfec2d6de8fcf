/**
 * What the public pages and open-data files show, computed from a publication's public payload
 * only (never from live rows): summaries per plan, district and section, the filtered task lists
 * every number links to, search, and the CSV of each dataset.
 */
import { rollUp } from '../../../status-engine/index.ts';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../../shared/enums.ts';
import type {
  AssessmentPayload,
  PeriodPayload,
  ProjectLibraryPayload,
  PublicDataset,
  PublicTask,
  PublicTaskQuery,
  StatusSummary,
} from '../../../shared/schemas/publication.schema.ts';

/** Counts, share done and weighted progress of a set of rows. */
export function summarise(rows: readonly { status: DeliveryStatus; progress: number | null }[]): StatusSummary {
  const r = rollUp(rows.map((x) => ({ status: x.status, progress: x.progress })));
  const counts = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, r.counts[s]])) as Record<DeliveryStatus, number>;
  return { total: rows.length, counts, shareDone: rows.length ? counts.done / rows.length : 0, progress: r.progress };
}

/** A task's status as seen from one district: its targets there when it has some, else the task's. */
export function districtRow(task: PublicTask, districtId: string): { status: DeliveryStatus; progress: number | null } {
  const own = task.targets.filter((t) => t.jurisdictionOrgId === districtId);
  if (own.length === 0) return { status: task.status, progress: task.progress };
  const r = rollUp(own.map((t) => ({ status: t.status, progress: t.progress })));
  return { status: r.status, progress: r.progress };
}

/** A section and every section below it. */
export function sectionWithDescendants(payload: PeriodPayload, sectionId: string): Set<string> {
  const out = new Set([sectionId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of payload.sections) {
      if (s.parentId && out.has(s.parentId) && !out.has(s.id)) {
        out.add(s.id);
        grew = true;
      }
    }
  }
  return out;
}

/** The top-level sections, each with the summary of every task under it. */
export function sectionSummaries(payload: PeriodPayload) {
  return payload.sections
    .filter((s) => s.parentId === null)
    .map((s) => {
      const ids = sectionWithDescendants(payload, s.id);
      return { ...s, summary: summarise(payload.tasks.filter((t) => t.sectionId && ids.has(t.sectionId))) };
    });
}

/** Every district with the summary of the tasks it is involved in (seen from the district). */
export function districtSummaries(payload: PeriodPayload) {
  return payload.districts.map((d) => ({
    ...d,
    summary: summarise(payload.tasks.filter((t) => t.districtIds.includes(d.id)).map((t) => districtRow(t, d.id))),
  }));
}

/**
 * The tasks behind a number: filtered by district (status as seen from that district), section
 * (with its subsections), status and a text search.
 */
export function filterTasks(payload: PeriodPayload, q: PublicTaskQuery): PublicTask[] {
  const sections = q.sectionId ? sectionWithDescendants(payload, q.sectionId) : null;
  const needle = q.q?.trim().toLowerCase();
  return payload.tasks.filter((t) => {
    if (q.districtId && !t.districtIds.includes(q.districtId)) return false;
    if (sections && !(t.sectionId && sections.has(t.sectionId))) return false;
    if (q.status) {
      const s = q.districtId ? districtRow(t, q.districtId).status : t.status;
      if (s !== q.status) return false;
    }
    if (needle && !t.text.toLowerCase().includes(needle) && !t.units.some((u) => u.name.toLowerCase().includes(needle))) return false;
    return true;
  });
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  // A leading = + - @ would run as a formula in a spreadsheet: prefix it so it stays text.
  const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csv(header: string[], rows: unknown[][]): string {
  // UTF-8 with a BOM so Excel reads the Chinese text correctly.
  return `\uFEFF${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

const pct = (p: number | null) => (p === null ? null : Math.round(p * 1000) / 10);

/** One dataset of a publication as CSV (header row in English field names, stable for reuse). */
export function datasetCsv(payload: PeriodPayload, dataset: PublicDataset): string {
  const sectionTitle = new Map(payload.sections.map((s) => [s.id, `${s.path.join(' ')} ${s.title}`.trim()]));
  switch (dataset) {
    case 'tasks':
      return csv(
        ['period', 'task_id', 'seq', 'section', 'task', 'lead_units', 'responsible_units', 'deadline', 'status', 'progress_percent'],
        payload.tasks.map((t) => [
          payload.period.label,
          t.id,
          t.seq,
          t.sectionId ? sectionTitle.get(t.sectionId) : '',
          t.text,
          t.units
            .filter((u) => u.role === 'lead')
            .map((u) => u.name)
            .join('；'),
          t.units
            .filter((u) => u.role !== 'lead')
            .map((u) => u.name)
            .join('；'),
          t.deadline,
          t.status,
          pct(t.progress),
        ]),
      );
    case 'targets':
      return csv(
        [
          'period',
          'task_id',
          'seq',
          'target_id',
          'metric',
          'comparator',
          'value',
          'max_value',
          'unit',
          'jurisdiction',
          'deadline',
          'status',
          'progress_percent',
          'reported_value',
        ],
        payload.tasks.flatMap((t) =>
          t.targets.map((g) => [
            payload.period.label,
            t.id,
            t.seq,
            g.id,
            g.metric,
            g.comparator,
            g.value,
            g.maxValue,
            g.unit,
            g.jurisdictionName,
            g.deadline,
            g.status,
            pct(g.progress),
            g.reportedValue,
          ]),
        ),
      );
    case 'districts':
      return csv(
        ['period', 'district_id', 'district', 'tasks', ...DELIVERY_STATUSES, 'share_done_percent', 'progress_percent'],
        districtSummaries(payload).map((d) => [
          payload.period.label,
          d.id,
          d.name,
          d.summary.total,
          ...DELIVERY_STATUSES.map((s) => d.summary.counts[s]),
          pct(d.summary.shareDone),
          pct(d.summary.progress),
        ]),
      );
    case 'sections':
      return csv(
        ['period', 'section_id', 'section', 'tasks', ...DELIVERY_STATUSES, 'share_done_percent', 'progress_percent'],
        sectionSummaries(payload).map((s) => [
          payload.period.label,
          s.id,
          `${s.path.join(' ')} ${s.title}`.trim(),
          s.summary.total,
          ...DELIVERY_STATUSES.map((k) => s.summary.counts[k]),
          pct(s.summary.shareDone),
          pct(s.summary.progress),
        ]),
      );
  }
}

/** One dataset of a publication as JSON rows (the same rows as the CSV). */
export function datasetJson(payload: PeriodPayload, dataset: PublicDataset): unknown[] {
  switch (dataset) {
    case 'tasks':
      return payload.tasks.map(({ targets: _t, ...t }) => t);
    case 'targets':
      return payload.tasks.flatMap((t) => t.targets.map((g) => ({ taskId: t.id, seq: t.seq, ...g })));
    case 'districts':
      return districtSummaries(payload);
    case 'sections':
      return sectionSummaries(payload);
  }
}

/** A published ranking flattened to one row per unit (the ranking dataset's JSON items and CSV rows). */
export function rankingRows(payload: AssessmentPayload) {
  return payload.groups.flatMap((g) =>
    g.rows.map((r) => ({
      groupId: g.id,
      group: g.label,
      rank: r.rank,
      orgId: r.orgId,
      name: r.name,
      total: r.total,
      tier: r.tierLabel,
      roll: r.roll,
    })),
  );
}

/** The ranking dataset as CSV (UTF-8 with BOM, English field names). */
export function rankingCsv(payload: AssessmentPayload): string {
  const rows = rankingRows(payload);
  return csv(
    ['group_id', 'group', 'rank', 'org_id', 'unit', 'score', 'tier', 'roll'],
    rows.map((r) => [r.groupId ?? '', r.group, r.rank, r.orgId, r.name, r.total, r.tier, r.roll ?? '']),
  );
}

/** The project library dataset as CSV (UTF-8 with BOM, English field names; money in 万元). */
export function projectsCsv(payload: ProjectLibraryPayload): string {
  return csv(
    [
      'plan_year',
      'project_id',
      'name',
      'county',
      'category',
      'nature',
      'total_investment_wan',
      'annual_plan_wan',
      'status',
      'progress_percent',
      'completed_on',
      'lng_gcj02',
      'lat_gcj02',
      'address',
    ],
    payload.projects.map((p) => [
      payload.library.planYear,
      p.id,
      p.name,
      p.orgName,
      p.categoryName,
      p.nature,
      p.totalInvestmentWan,
      p.annualPlanWan,
      p.status,
      p.progressPct,
      p.completedOn,
      p.lng,
      p.lat,
      p.address,
    ]),
  );
}
