/**
 * The registry of publishable kinds. Each kind is one source: what can be published now
 * (`listPublishable`) and how one record becomes its payload (`build`, read through the owning
 * module's service). The payload is projected through public-fields.rule.ts before it is stored.
 * Assessments (issue 15), bulletins and the project library register here with one source each;
 * until then they are not offered.
 */
import { rollUp } from '../../../status-engine/index.ts';
import type { DeliveryStatus } from '../../../shared/enums.ts';
import type {
  AssessmentPayload,
  BulletinPayload,
  PeriodPayload,
  ProjectLibraryPayload,
  PublicationKind,
  PublicSection,
  PublicTask,
} from '../../../shared/schemas/publication.schema.ts';
import type { SectionNode } from '../../../shared/schemas/plan.schema.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { AppError } from '../../core/app-error.ts';
import { listOrganisations, orgIdsOfTenant } from '../organisations/organisations.service.ts';
import { getPlan, getPlanDetail, listPlans, ownerOfPlan } from '../plans/plans.service.ts';
import { listTasks } from '../plans/tasks.service.ts';
import { getPeriod, listPeriods } from '../reporting/periods.service.ts';
import { getFinalRanking, listFinalAssessments } from '../assessment/assessment.service.ts';
import { getIssuedBulletin, listIssuedBulletins } from '../assessment/bulletin.service.ts';
import { listPublicLibrary, listPublicLibraryYears } from '../projects/projects-public.service.ts';
import { readPeriodSnapshot, type SnapshotLine } from './period-snapshot.adapter.ts';

/** A record that could be published. */
export interface PublishableRecord {
  sourceId: string;
  title: string;
  asOf: string | null;
}

/** A built (not yet projected) publication: title, grouping scope, the day it stands for, payload. */
export interface BuiltPublication {
  title: string;
  scopeId: string | null;
  asOf: string | null;
  payload: unknown;
}

/** One kind of publishable record. */
export interface PublicationSource {
  kind: PublicationKind;
  /** `today`: the server's date (LUOSHI_TODAY or the demo's clock), for records dated by the day of publishing. */
  listPublishable(db: DbOrTrx, today: string): Promise<PublishableRecord[]>;
  /** 404 when the record does not exist; 409 when it is not in a publishable state. */
  build(db: DbOrTrx, sourceId: string, today: string): Promise<BuiltPublication>;
}

function flattenSections(nodes: SectionNode[], out: PublicSection[] = []): PublicSection[] {
  for (const n of nodes) {
    out.push({ id: n.id, parentId: n.parentId, path: n.path, title: n.title });
    flattenSections(n.children, out);
  }
  return out;
}

// Several frozen lines for one row (one per reporting organisation, as snapshots are becoming)
// roll up to one status; the worst signal wins, as everywhere else.
function lineKey(taskId: string, targetId: string | null): string {
  return `${taskId}|${targetId ?? ''}`;
}
function groupLines(lines: SnapshotLine[]): Map<string, { status: DeliveryStatus; progress: number | null; reportedValue: number | null }> {
  const grouped = new Map<string, SnapshotLine[]>();
  for (const l of lines) {
    const k = lineKey(l.taskId, l.targetId);
    const list = grouped.get(k);
    if (list) list.push(l);
    else grouped.set(k, [l]);
  }
  const out = new Map<string, { status: DeliveryStatus; progress: number | null; reportedValue: number | null }>();
  for (const [k, list] of grouped) {
    if (list.length === 1) {
      out.set(k, { status: list[0]!.status, progress: list[0]!.progress, reportedValue: list[0]!.reportedValue });
      continue;
    }
    const r = rollUp(list.map((l) => ({ status: l.status, progress: l.progress })));
    const values = list.map((l) => l.reportedValue).filter((v): v is number => v !== null);
    out.set(k, { status: r.status, progress: r.progress, reportedValue: values.length ? values.reduce((a, b) => a + b, 0) : null });
  }
  return out;
}

async function listAllTasks(db: DbOrTrx, planId: string, asOf: string) {
  const items = [];
  for (let offset = 0; ; offset += 500) {
    const page = await listTasks(db, planId, { limit: 500, offset }, asOf);
    items.push(...page.items);
    if (items.length >= page.total || page.items.length === 0) break;
  }
  return items;
}

/** A closed reporting period: plan progress per task and target from the period's frozen snapshot. */
export const periodSource: PublicationSource = {
  kind: 'period',
  async listPublishable(db) {
    const out: PublishableRecord[] = [];
    for (const plan of (await listPlans(db)).items) {
      for (const p of (await listPeriods(db, plan.id)).items) {
        if (p.status === 'closed') out.push({ sourceId: p.id, title: `${plan.title} · ${p.label}`, asOf: p.end });
      }
    }
    return out;
  },
  async build(db, periodId) {
    const period = await getPeriod(db, periodId);
    if (period.status !== 'closed') throw new AppError('conflict', 'only a closed period (with its frozen snapshot) can be published');
    const plan = await getPlanDetail(db, period.planId);
    const lines = groupLines(await readPeriodSnapshot(db, periodId));
    const tasks = await listAllTasks(db, plan.id, period.end);
    const orgs = (await listOrganisations(db)).items;
    const districts = orgs.filter((o) => o.kind === 'jurisdiction');
    const districtIds = new Set(districts.map((d) => d.id));
    const groupMembers = new Map(orgs.filter((o) => o.kind === 'group').map((g) => [g.id, g.memberIds]));
    const publicTasks: PublicTask[] = tasks.map((task) => {
      const frozen = lines.get(lineKey(task.id, null));
      const involved = new Set<string>();
      for (const a of task.assignments) {
        if (districtIds.has(a.orgId)) involved.add(a.orgId);
        for (const m of groupMembers.get(a.orgId) ?? []) if (districtIds.has(m)) involved.add(m);
      }
      for (const t of task.targets) if (t.jurisdictionOrgId && districtIds.has(t.jurisdictionOrgId)) involved.add(t.jurisdictionOrgId);
      const lastDeadline = [...task.deadlines].sort((a, b) => a.date.localeCompare(b.date)).at(-1) ?? null;
      return {
        id: task.id,
        seq: task.seq,
        sectionId: task.sectionId,
        text: task.text,
        deadline: lastDeadline?.date ?? null,
        deadlineText: lastDeadline?.text || null,
        units: task.assignments.map((a) => ({ orgId: a.orgId, name: a.orgName, role: a.role })),
        districtIds: [...involved],
        // A task the period did not freeze (added after it closed) is not in this publication's numbers.
        status: frozen?.status ?? 'not_started',
        progress: frozen?.progress ?? null,
        targets: task.targets.map((t) => {
          const ft = lines.get(lineKey(task.id, t.id));
          return {
            id: t.id,
            metric: t.metric,
            unit: t.unit,
            comparator: t.comparator,
            value: t.value,
            maxValue: t.maxValue,
            jurisdictionOrgId: t.jurisdictionOrgId,
            jurisdictionName: t.jurisdictionName,
            deadline: t.deadline,
            status: ft?.status ?? 'not_started',
            progress: ft?.progress ?? null,
            reportedValue: ft?.reportedValue ?? null,
          };
        }),
      };
    });
    const frozenTaskIds = new Set([...lines.keys()].map((k) => k.split('|')[0]));
    const payload: PeriodPayload = {
      plan: { id: plan.id, title: plan.title, issuer: plan.issuer, year: plan.year },
      period: { id: period.id, label: period.label, start: period.start, end: period.end, closedAt: period.closedAt },
      sections: flattenSections(plan.sections),
      districts: districts.map((d) => ({ id: d.id, name: d.name })),
      tasks: publicTasks.filter((t) => frozenTaskIds.has(t.id)),
    };
    return { title: `${plan.title} · ${period.label}`, scopeId: plan.id, asOf: period.end, payload };
  },
};

/** A final assessment (issue 15): its ranking per peer group with tiers and the 红榜/黑榜. 422 unless final. */
export const assessmentSource: PublicationSource = {
  kind: 'assessment',
  listPublishable: async (db) => (await listFinalAssessments(db)).map((a) => ({ sourceId: a.id, title: a.title, asOf: a.end })),
  async build(db, id) {
    const { assessment: a, ranking } = await getFinalRanking(db, id);
    const payload: AssessmentPayload = {
      assessment: { id: a.id, title: a.title, start: a.start, end: a.end, finalisedAt: a.finalisedAt },
      groups: ranking.groups.map((g) => {
        const red = new Set(g.red);
        const black = new Set(g.black);
        return {
          id: g.id,
          label: g.label,
          rows: g.rows.map((r) => ({
            orgId: r.orgId,
            name: r.name,
            rank: r.rank,
            total: r.total,
            tierLabel: r.tierLabel,
            roll: red.has(r.orgId) ? ('red' as const) : black.has(r.orgId) ? ('black' as const) : null,
          })),
        };
      }),
    };
    return { title: a.title, scopeId: a.planId, asOf: a.end, payload };
  },
};

/** An issued 通报 (issue 15): title, 发文字号, date and its frozen issued text (the PDF is rendered from it). 422 while a draft. */
export const bulletinSource: PublicationSource = {
  kind: 'bulletin',
  listPublishable: async (db) =>
    (await listIssuedBulletins(db)).map((b) => ({
      sourceId: b.id,
      title: `${b.content.docNumber} ${b.content.title}`,
      asOf: b.issuedAt ? b.issuedAt.slice(0, 10) : null,
    })),
  async build(db, id) {
    const b = await getIssuedBulletin(db, id);
    const payload: BulletinPayload = { bulletin: { id: b.id, assessmentId: b.assessmentId, issuedAt: b.issuedAt }, content: b.content };
    return {
      title: `${b.content.docNumber} ${b.content.title}`,
      scopeId: b.assessmentId,
      asOf: b.issuedAt ? b.issuedAt.slice(0, 10) : null,
      payload,
    };
  },
};

// A year's library has no row of its own to point at: its source id is the year written into a
// fixed UUID (version 4 and RFC variant bits set, so it passes the Id schema), one per year.
/**
 * The project library of a plan's year (issue 16, ADR 0007's projects): the admitted, in-progress,
 * completed and accepted projects of the plan's tenant (its owner's jurisdiction; every project in
 * an installation that declared none) for the plan's year, as of the day of publishing. The source
 * is the plan, so tenancy is the plan's like every other kind, and two cities publish their own
 * libraries of the same year side by side. 404 for an unknown plan; 409 for a plan without a year
 * or a year with no library project.
 */
export const projectLibrarySource: PublicationSource = {
  kind: 'project_library',
  async listPublishable(db, today) {
    const years = new Set(await listPublicLibraryYears(db));
    return (await listPlans(db)).items
      .filter((p) => p.year !== null && years.has(p.year))
      .map((p) => ({ sourceId: p.id, title: `${p.year}年度项目库（${p.title}）`, asOf: today }));
  },
  async build(db, planId, today) {
    const plan = await getPlan(db, planId).catch(() => {
      throw new AppError('not_found', '未找到该方案的项目库');
    });
    if (plan.year === null) throw new AppError('conflict', '该方案没有年度，无法公布项目库');
    const year = plan.year;
    const { projects, totals } = await listPublicLibrary(db, year, await orgIdsOfTenant(db, await ownerOfPlan(db, planId)));
    if (projects.length === 0) throw new AppError('conflict', `${year}年度项目库还没有入库项目，无法公布`);
    const asOf = today;
    const payload: ProjectLibraryPayload = { library: { planYear: year, asOf }, totals, projects };
    return { title: `${year}年度项目库`, scopeId: planId, asOf, payload };
  },
};

/**
 * Every registered source by kind. Issue 15's assessments and bulletins and issue 14's project
 * library add one entry each (and their allow-list in public-fields.rule.ts), for example:
 *
 * ```ts
 * export const assessmentSource: PublicationSource = {
 *   kind: 'assessment',
 *   listPublishable: async (db) => (await listFinalAssessments(db)).map((a) => ({ sourceId: a.id, title: a.title, asOf: a.end })),
 *   build: async (db, id) => { const a = await getFinalAssessment(db, id); return { title: a.title, scopeId: a.planId, asOf: a.end, payload: a }; },
 * };
 * ```
 *
 * `build` may return the owning module's whole DTO: the kind's schema in public-fields.rule.ts
 * keeps only its public fields. The public pages and routes read `period` payloads today; a new
 * kind adds its views beside them.
 */
export const PUBLICATION_SOURCES: Partial<Record<PublicationKind, PublicationSource>> = {
  period: periodSource,
  assessment: assessmentSource,
  bulletin: bulletinSource,
  project_library: projectLibrarySource,
};

/** The source of `kind`, or 422 when that kind cannot be published yet. */
export function sourceOf(kind: PublicationKind): PublicationSource {
  const source = PUBLICATION_SOURCES[kind];
  if (!source) throw new AppError('unprocessable', `records of kind ${kind} cannot be published yet`);
  return source;
}
