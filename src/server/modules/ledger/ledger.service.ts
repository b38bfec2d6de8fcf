import { todayInShanghai } from '../../../shared/china-date.ts';
import { statusAsOf } from '../../../status-engine/index.ts';
import type { DeliveryStatus } from '../../../shared/enums.ts';
import type { LedgerResponse, LedgerRow, LedgerTarget, OrgRef } from '../../../shared/schemas/ledger.schema.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { AppError } from '../../core/app-error.ts';
import { canWriteTaskWithScope, readablePlanIdsOfTenant } from '../plans/plans.policy.ts';
import type { Actor } from '../../core/actor.ts';
import { listGroupMembers, listOrganisationKinds, listOrganisationNames } from '../organisations/organisations.service.ts';
import {
  listLedgerAssignments,
  listLedgerDeadlines,
  listLedgerPlans,
  listLedgerSections,
  listLedgerTargets,
  listLedgerTasks,
} from '../plans/plan-rows.queries.ts';
import { listLatestSubmittedProgress } from '../reporting/progress-reports.service.ts';

/**
 * The plans' assignments with each organisation's name and kind, from organisations' service in one
 * batch (plans no longer joins organisations). Order is kept; an assignment whose organisation is
 * missing is dropped, as the inner join this replaces did. Also returns the kinds of every
 * organisation, which the ledger uses for the district axis.
 */
async function loadAssignmentsWithOrgs(db: DbOrTrx, planIds: string[], taskIds?: readonly string[]) {
  const [rows, orgKinds] = await Promise.all([listLedgerAssignments(db, planIds, taskIds), listOrganisationKinds(db)]);
  const names =
    rows.length === 0
      ? new Map<string, string>()
      : await listOrganisationNames(
          db,
          rows.map((r) => r.org_id),
        );
  const kindOf = new Map(orgKinds.map((o) => [o.id, o.kind]));
  const assignments = rows.flatMap((r) => {
    const orgName = names.get(r.org_id);
    const orgKind = kindOf.get(r.org_id);
    return orgName === undefined || orgKind === undefined ? [] : [{ ...r, org_name: orgName, org_kind: orgKind }];
  });
  return [assignments, orgKinds] as const;
}

export interface SectionInfo {
  id: string;
  planId: string;
  parentId: string | null;
  path: string[];
  title: string;
  ordinal: number;
}

/** The ledger rows and what the dashboard and the export need besides them. */
export interface Ledger {
  asOf: string;
  rows: LedgerRow[];
  sections: Map<string, SectionInfo>;
  /** Organisation id → kind and division code, for the district axis. */
  orgs: Map<string, { kind: string; adminCode: string | null }>;
  plans: { id: string; title: string }[];
}

const collator = new Intl.Collator('zh-CN');

/**
 * The date a ledger is computed for: the request's `asOf`, else the configured fixed day
 * (LUOSHI_TODAY, demos and tests), else today in Asia/Shanghai.
 */
export function resolveAsOf(asOf: string | undefined, configured: string | undefined): string {
  return asOf ?? configured ?? todayInShanghai();
}

/**
 * A ledger row as it reads for everybody on every day: buildLedger's row before the reader and the
 * date are applied (viewLedgerRow). What the cached ledger of a plan holds (ledger-cache.service.ts).
 */
export interface PlanLedgerRow extends Omit<LedgerRow, 'status' | 'isMine' | 'canEdit'> {
  /** The task's stored status: the row's status on a day is statusAsOf(taskStatus, deadlines, asOf). */
  taskStatus: DeliveryStatus;
  /** The organisations named responsible on the task as named (a group itself): the task write policy reads these. */
  responsibleOrgIds: string[];
}

/** The reader- and date-independent ledger of some plans: rows (in task order), sections, organisations. */
export interface PlanLedgerParts {
  rows: PlanLedgerRow[];
  /** Each task once (plan, seq order) with its stored status, deadlines and number of targets (all of them, on a row or not). */
  tasks: { id: string; planId: string; taskStatus: DeliveryStatus; deadlines: string[]; targets: number }[];
  sections: Map<string, SectionInfo>;
  orgs: Ledger['orgs'];
}

/** `row` for `actor` on `asOf`: its status on that day, isMine and canEdit (the task write policy). */
export function viewLedgerRow(row: PlanLedgerRow, actor: Actor, asOf: string): LedgerRow {
  // Written out, not `{ ...rest }`: an object literal of known shape is several times faster to
  // build, and a page or a dashboard builds one per row of its plans on every request.
  const orgId = actor.orgId;
  let isLead = false;
  for (const o of row.lead) if (o.id === orgId) isLead = true;
  return {
    key: row.key,
    taskId: row.taskId,
    planId: row.planId,
    planTitle: row.planTitle,
    seq: row.seq,
    sectionId: row.sectionId,
    sectionIds: row.sectionIds,
    sectionPath: row.sectionPath,
    sectionTitle: row.sectionTitle,
    topSectionTitle: row.topSectionTitle,
    text: row.text,
    lead: row.lead,
    cooperating: row.cooperating,
    responsible: row.responsible,
    viaGroup: row.viaGroup,
    targets: row.targets,
    deadlines: row.deadlines,
    latestProgress: row.latestProgress,
    status: statusAsOf(row.taskStatus, row.deadlines, asOf),
    isMine: isLead || row.responsible?.id === orgId,
    canEdit: canWriteTaskWithScope(actor, { leadOrgIds: row.lead.map((o) => o.id), responsibleOrgIds: row.responsibleOrgIds }),
  };
}

/**
 * Builds the whole ledger of a plan (or of every active plan): one row per task × responsible
 * unit, a group expanded into its members (viaGroup set; a unit named directly wins over the same
 * unit through a group), one row with `responsible: null` for a task without one. Each row holds
 * the targets of its unit plus the unassigned ones, its section and ancestors, a status derived
 * for `asOf`, and for `actor` isMine and canEdit (the task write policy). Set-based queries
 * whatever the size (no query per task or row).
 * Ordered: the actor's own rows first (lead and unit users), then plan, seq, responsible name.
 */
export async function buildLedger(
  db: DbOrTrx,
  actor: Actor,
  opts: {
    planId?: string;
    asOf: string;
    tenant?: string;
    taskIds?: readonly string[];
    /** Only these rows (keys `taskId:orgId|-`): a page or a dashboard list, built as the whole ledger builds them. */
    rowKeys?: ReadonlySet<string>;
  },
): Promise<Ledger> {
  const listed = await listLedgerPlans(db, opts.planId);
  // Tenancy (plans.policy): a plan of a tenant the actor does not read is not there for them;
  // with `tenant`, only that city's plans (404 when the actor does not read it).
  const readable = await readablePlanIdsOfTenant(
    db,
    actor,
    listed.map((p) => p.id),
    opts.tenant,
  );
  const plans = listed.filter((p) => readable.has(p.id));
  if (opts.planId && plans.length === 0) throw new AppError('not_found', 'plan not found');
  const empty: Ledger = { asOf: opts.asOf, rows: [], sections: new Map(), orgs: new Map(), plans };
  if (plans.length === 0) return empty;
  const parts = await buildPlanLedgerRows(db, plans, opts);
  const rows = parts.rows.map((r) => viewLedgerRow(r, actor, opts.asOf));
  const mineFirst = actor.role === 'lead' || actor.role === 'unit';
  sortLedgerRows(rows, new Map(plans.map((p, i) => [p.id, i])), mineFirst);
  return { asOf: opts.asOf, rows, sections: parts.sections, orgs: parts.orgs, plans };
}

/**
 * The rows of `plans` (already authorised) for nobody in particular: buildLedger's rows without
 * status, isMine and canEdit, with their latest 进展情况, in task order (plan, seq, task). One set
 * of queries for all the plans, whatever their size.
 */
export async function buildPlanLedgerRows(
  db: DbOrTrx,
  plans: readonly { id: string; title: string }[],
  opts: { taskIds?: readonly string[]; rowKeys?: ReadonlySet<string> } = {},
): Promise<PlanLedgerParts> {
  const planIds = plans.map((p) => p.id);
  if (planIds.length === 0) return { rows: [], tasks: [], sections: new Map(), orgs: new Map() };
  const [sectionRows, tasks, [assignments, orgKinds], deadlines, targets, members] = await Promise.all([
    listLedgerSections(db, planIds),
    listLedgerTasks(db, planIds, opts.taskIds),
    loadAssignmentsWithOrgs(db, planIds, opts.taskIds),
    listLedgerDeadlines(db, planIds, opts.taskIds),
    listLedgerTargets(db, planIds, opts.taskIds),
    listGroupMembers(db),
  ]);

  const sections = new Map<string, SectionInfo>();
  for (const s of sectionRows) {
    sections.set(s.id, {
      id: s.id,
      planId: s.plan_id,
      parentId: s.parent_id,
      path: JSON.parse(s.path) as string[],
      title: s.title,
      ordinal: s.ordinal,
    });
  }
  const chainCache = new Map<string, SectionInfo[]>();
  const chainOf = (sectionId: string | null): SectionInfo[] => {
    if (!sectionId) return [];
    const cached = chainCache.get(sectionId);
    if (cached) return cached;
    const chain: SectionInfo[] = [];
    const seen = new Set<string>();
    for (let s = sections.get(sectionId); s && !seen.has(s.id); s = s.parentId ? sections.get(s.parentId) : undefined) {
      seen.add(s.id);
      chain.unshift(s);
    }
    chainCache.set(sectionId, chain);
    return chain;
  };

  const membersOf = new Map<string, { ref: OrgRef; adminCode: string | null }[]>();
  for (const m of members) {
    const list = membersOf.get(m.group_id) ?? [];
    list.push({ ref: { id: m.member_id, name: m.name }, adminCode: m.admin_code });
    membersOf.set(m.group_id, list);
  }
  for (const list of membersOf.values()) list.sort((a, b) => compareDistricts(a.adminCode, a.ref.name, b.adminCode, b.ref.name));

  const group = <T extends { task_id: string }>(list: T[]) => {
    const m = new Map<string, T[]>();
    for (const x of list) {
      const arr = m.get(x.task_id);
      if (arr) arr.push(x);
      else m.set(x.task_id, [x]);
    }
    return m;
  };
  const assignmentsByTask = group(assignments);
  const deadlinesByTask = group(deadlines);
  const targetsByTask = group(targets);
  const planTitle = new Map(plans.map((p) => [p.id, p.title]));

  const rows: PlanLedgerRow[] = [];
  const taskFacts: PlanLedgerParts['tasks'] = [];
  for (const task of tasks) {
    const taskAssignments = assignmentsByTask.get(task.id) ?? [];
    const lead: OrgRef[] = [];
    const cooperating: OrgRef[] = [];
    const responsibleAssignments: typeof taskAssignments = [];
    for (const a of taskAssignments) {
      const ref = { id: a.org_id, name: a.org_name };
      if (a.role === 'lead') lead.push(ref);
      else if (a.role === 'cooperating') cooperating.push(ref);
      else if (a.role === 'responsible') responsibleAssignments.push(a);
    }
    // Direct assignments first, so a unit named directly is not also listed through its group.
    const units: { responsible: OrgRef; viaGroup: OrgRef | null }[] = [];
    const seen = new Set<string>();
    for (const a of responsibleAssignments) {
      if (a.org_kind === 'group' && (membersOf.get(a.org_id)?.length ?? 0) > 0) continue;
      if (seen.has(a.org_id)) continue;
      seen.add(a.org_id);
      units.push({ responsible: { id: a.org_id, name: a.org_name }, viaGroup: null });
    }
    for (const a of responsibleAssignments) {
      const list = a.org_kind === 'group' ? membersOf.get(a.org_id) : undefined;
      if (!list || list.length === 0) continue;
      for (const m of list) {
        if (seen.has(m.ref.id)) continue;
        seen.add(m.ref.id);
        units.push({ responsible: m.ref, viaGroup: { id: a.org_id, name: a.org_name } });
      }
    }

    const chain = chainOf(task.section_id);
    const section = chain.at(-1);
    const dates = [...new Set((deadlinesByTask.get(task.id) ?? []).map((d) => d.date))].sort();
    const allTargets = (targetsByTask.get(task.id) ?? []).map(toLedgerTarget);
    taskFacts.push({
      id: task.id,
      planId: task.plan_id,
      taskStatus: task.status as DeliveryStatus,
      deadlines: dates,
      targets: allTargets.length,
    });
    const base = {
      taskId: task.id,
      planId: task.plan_id,
      planTitle: planTitle.get(task.plan_id) ?? '',
      seq: task.seq,
      sectionId: task.section_id,
      sectionIds: chain.map((s) => s.id),
      sectionPath: section?.path ?? [],
      sectionTitle: section?.title ?? null,
      topSectionTitle: chain[0]?.title ?? null,
      text: task.text,
      lead,
      cooperating,
      deadlines: dates,
      taskStatus: task.status as DeliveryStatus,
      responsibleOrgIds: responsibleAssignments.map((a) => a.org_id),
    };
    if (units.length === 0) {
      // The task's only row carries all its targets: there is no unit to split them by.
      rows.push({ ...base, key: `${task.id}:-`, responsible: null, viaGroup: null, targets: allTargets, latestProgress: null });
      continue;
    }
    for (const u of units) {
      rows.push({
        ...base,
        key: `${task.id}:${u.responsible.id}`,
        responsible: u.responsible,
        latestProgress: null,
        viaGroup: u.viaGroup,
        targets: allTargets.filter((t) => t.jurisdictionOrgId === null || t.jurisdictionOrgId === u.responsible.id),
      });
    }
  }

  if (opts.rowKeys) {
    const keys = opts.rowKeys;
    rows.splice(0, rows.length, ...rows.filter((r) => keys.has(r.key)));
  }
  // Once the rows are known: their latest 进展情况 is looked up for exactly those rows.
  const latestProgress = await listLatestSubmittedProgress(
    db,
    planIds,
    rows.map((r) => ({ taskId: r.taskId, orgId: r.responsible?.id ?? null })),
  );
  for (const row of rows) row.latestProgress = latestProgress.get(row.key) ?? null;

  const orgs = new Map(orgKinds.map((o) => [o.id, { kind: o.kind, adminCode: o.admin_code }]));
  return { rows, tasks: taskFacts, sections, orgs };
}

/**
 * Sorts in place by (isMine first when asked), plan, seq, responsible name (no unit first). Names
 * are ranked once with the zh-CN collator, so 10,000 rows compare integers, not strings.
 */
export function sortLedgerRows<R extends Pick<LedgerRow, 'planId' | 'seq' | 'responsible'> & { isMine?: boolean }>(
  rows: R[],
  planOrder: Map<string, number>,
  mineFirst: boolean,
): void {
  const names = [...new Set(rows.map((r) => r.responsible?.name ?? ''))].sort(collator.compare);
  const rank = new Map(names.map((n, i) => [n, i]));
  const keyed = rows.map((row) => ({
    row,
    mine: mineFirst && row.isMine ? 0 : 1,
    plan: planOrder.get(row.planId) ?? 0,
    name: row.responsible ? (rank.get(row.responsible.name) ?? 0) + 1 : 0,
  }));
  keyed.sort((a, b) => a.mine - b.mine || a.plan - b.plan || a.row.seq - b.row.seq || a.name - b.name);
  keyed.forEach((k, i) => {
    rows[i] = k.row;
  });
}

// Districts in division-code order (A区 410611 … B县 410622), then by name.
function compareDistricts(codeA: string | null, nameA: string, codeB: string | null, nameB: string): number {
  if (codeA && codeB && codeA !== codeB) return codeA < codeB ? -1 : 1;
  if (Boolean(codeA) !== Boolean(codeB)) return codeA ? -1 : 1;
  return collator.compare(nameA, nameB);
}

function toLedgerTarget(t: Awaited<ReturnType<typeof listLedgerTargets>>[number]): LedgerTarget {
  return {
    id: t.id,
    metric: t.metric,
    unit: t.unit,
    comparator: t.comparator,
    value: Number(t.value),
    maxValue: t.max_value === null ? null : Number(t.max_value),
    jurisdictionLabel: t.jurisdiction_label,
    jurisdictionOrgId: t.jurisdiction_org_id,
  };
}

/** GET /api/ledger: every row of the plan (or of all active plans) for the signed-in actor. */
export async function getLedger(db: DbOrTrx, actor: Actor, opts: { planId?: string; asOf: string }): Promise<LedgerResponse> {
  const ledger = await buildLedger(db, actor, opts);
  return { rows: ledger.rows, asOf: ledger.asOf };
}
