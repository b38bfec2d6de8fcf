import type { DeliveryStatus } from '../../../shared/enums.ts';
import { DELIVERY_STATUSES } from '../../../shared/enums.ts';
import type {
  LedgerFacetOrg,
  LedgerFilter,
  LedgerPageQuery,
  LedgerPageResponse,
  LedgerRow,
  LedgerSort,
} from '../../../shared/schemas/ledger.schema.ts';
import { LEDGER_PAGE_SIZE_DEFAULT } from '../../../shared/schemas/ledger.schema.ts';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { buildLedgerWorkbook, type LedgerSheetSection } from '../../documents/ledger.xlsx.ts';
import { getOrganisation, organisationsRelation } from '../organisations/organisations.service.ts';
import { listLedgerPlans } from '../plans/plan-rows.queries.ts';
import { type LedgerRowKey, type LedgerRowsScope, queryLedgerRows, readablePlanIdsOfTenant } from '../plans/plans.service.ts';
import { buildLedger, type Ledger } from './ledger.service.ts';

/**
 * The ledger page and the Excel export (issue 13 §3): the database filters, sorts, counts and
 * pages (plans' ledger-rows.queries.ts, the SQL of the shared filter); the page's rows are then
 * built by buildLedger for just the page's tasks, so a row reads the same in the full ledger, a
 * page and the export.
 */

/** The most rows one export writes; a larger selection is refused with ledger_export_too_large. */
export const LEDGER_EXPORT_MAX_ROWS = 50_000;
// Above this many tasks a page's rows are built from the whole plans and picked by key: an
// `in (…)` list of ids stays well below the parameter caps of both engines.
const TASK_ID_LIST_MAX = 5000;

const collator = new Intl.Collator('zh-CN');

/** What the SQL needs to know about the reader: the plans in scope, the day, own rows first, the unit order. */
async function ledgerScope(
  db: DbOrTrx,
  actor: Actor,
  opts: { planId?: string; tenant?: string; asOf: string; mineFirst: boolean },
): Promise<LedgerRowsScope & { plans: { id: string; title: string }[] }> {
  const listed = await listLedgerPlans(db, opts.planId);
  const readable = await readablePlanIdsOfTenant(
    db,
    actor,
    listed.map((p) => p.id),
    opts.tenant,
  );
  const plans = listed.filter((p) => readable.has(p.id));
  if (opts.planId && plans.length === 0) throw new AppError('not_found', 'plan not found');
  // Units within one 序号 in zh-CN name order, as buildLedger sorts them: the database has no
  // such collation on both engines, so it gets each organisation's rank.
  const orgs = await organisationsRelation(db).execute();
  const names = [...new Set(orgs.map((o) => o.name))].sort(collator.compare);
  const rankOfName = new Map(names.map((n, i) => [n, i]));
  return {
    plans,
    planIds: plans.map((p) => p.id),
    asOf: opts.asOf,
    actorOrgId: actor.orgId,
    mineFirst: opts.mineFirst,
    nameRank: new Map(orgs.map((o) => [o.id, rankOfName.get(o.name) ?? 0])),
  };
}

/** The rows of `keys`, in their order, built by buildLedger over just their tasks. */
async function rowsOfKeys(
  db: DbOrTrx,
  actor: Actor,
  keys: readonly LedgerRowKey[],
  opts: { planId?: string; tenant?: string; asOf: string },
): Promise<{ rows: LedgerRow[]; ledger: Ledger }> {
  const taskIds = [...new Set(keys.map((k) => k.taskId))];
  const ledger = await buildLedger(db, actor, {
    ...opts,
    taskIds: taskIds.length > TASK_ID_LIST_MAX ? undefined : taskIds,
    rowKeys: new Set(keys.map((k) => `${k.taskId}:${k.orgId ?? '-'}`)),
  });
  const byKey = new Map(ledger.rows.map((r) => [r.key, r]));
  const rows = keys.flatMap((k) => byKey.get(`${k.taskId}:${k.orgId ?? '-'}`) ?? []);
  return { rows, ledger };
}

const filterOf = (q: LedgerFilter): LedgerFilter => ({
  planId: q.planId,
  sectionId: q.sectionId,
  leadOrgId: q.leadOrgId,
  orgId: q.orgId,
  status: q.status,
  dueFrom: q.dueFrom,
  dueTo: q.dueTo,
  q: q.q,
  mine: q.mine,
});

/**
 * GET /api/ledger/page: one page of the filtered ledger with the total and the facet counts.
 * Visibility is buildLedger's: the plans the actor reads (plans.policy), within `tenant` if given.
 */
export async function getLedgerPage(db: DbOrTrx, actor: Actor, query: LedgerPageQuery, asOf: string): Promise<LedgerPageResponse> {
  const filter = filterOf(query);
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? LEDGER_PAGE_SIZE_DEFAULT;
  const sort: LedgerSort = query.sort ?? 'default';
  const mineFirst = actor.role === 'lead' || actor.role === 'unit';
  const scope = await ledgerScope(db, actor, { planId: filter.planId, tenant: query.tenant, asOf, mineFirst });
  const result = await queryLedgerRows(db, scope, filter, { sort, limit: pageSize, offset: (page - 1) * pageSize });
  const rows =
    result.keys.length === 0 ? [] : (await rowsOfKeys(db, actor, result.keys, { planId: filter.planId, tenant: query.tenant, asOf })).rows;

  const status = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, result.facets.status[s] ?? 0])) as Record<DeliveryStatus, number>;
  const byName = (a: LedgerFacetOrg, b: LedgerFacetOrg) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : 1);
  const org = await withChosen(db, actor, result.facets.org, filter.orgId);
  const lead = await withChosen(db, actor, result.facets.lead, filter.leadOrgId);
  return {
    rows,
    total: result.total,
    unfiltered: result.unfiltered,
    page,
    pageSize,
    asOf,
    facets: { status, org: org.sort(byName), lead: lead.sort(byName) },
  };
}

// The chosen organisation stays among the options (with 0) when the other filters leave it no row,
// so the select still shows its name.
async function withChosen(db: DbOrTrx, actor: Actor, list: LedgerFacetOrg[], chosen: string | undefined): Promise<LedgerFacetOrg[]> {
  if (!chosen || list.some((o) => o.id === chosen)) return list;
  const name = (await readableOrgNames(db, actor, [chosen])).get(chosen);
  return name === undefined ? list : [...list, { id: chosen, name, count: 0 }];
}

/**
 * Names of the organisations among `ids` that `actor` may read: an id typed into a filter may be
 * another city's, and its name must not come back in a facet or a file's title (tenancy, ADR 0006).
 */
async function readableOrgNames(db: DbOrTrx, actor: Actor, ids: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const id of ids) {
    const org = await getOrganisation(db, id, actor).catch(() => null);
    if (org) names.set(id, org.name);
  }
  return names;
}

const STATUS_LABELS: Record<DeliveryStatus, string> = {
  not_started: '未开始',
  on_track: '正常推进',
  at_risk: '有风险',
  overdue: '已逾期',
  done: '已完成',
};

/**
 * The Excel 台账 of exactly the rows the ledger page's filter keeps (the same SQL, no page limit,
 * at most LEDGER_EXPORT_MAX_ROWS), in document order whoever exports (the sheet is read against
 * the plan), with a title naming the plan, the filter and the time of export.
 */
export async function exportLedgerWorkbook(
  db: DbOrTrx,
  actor: Actor,
  query: LedgerFilter & { tenant?: string },
  asOf: string,
  now: Date = new Date(),
): Promise<{ buffer: Buffer; filename: string }> {
  const filter = filterOf(query);
  const scope = await ledgerScope(db, actor, { planId: filter.planId, tenant: query.tenant, asOf, mineFirst: false });
  const { keys } = await queryLedgerRows(db, scope, filter, { limit: LEDGER_EXPORT_MAX_ROWS + 1, facets: false });
  if (keys.length > LEDGER_EXPORT_MAX_ROWS) {
    throw new AppError('ledger_export_too_large', `more than ${LEDGER_EXPORT_MAX_ROWS} rows to export`, { max: LEDGER_EXPORT_MAX_ROWS });
  }
  const { rows, ledger } = await rowsOfKeys(db, actor, keys, { planId: filter.planId, tenant: query.tenant, asOf });
  const sections = ledger.sections;
  const plans = scope.plans;
  const planTitle = filter.planId ? (plans[0]?.title ?? '') : plans.length === 1 ? plans[0].title : '全部在办方案';
  const summary = await describeFilter(db, actor, filter, sections);
  const sectionsOf = (row: LedgerRow): LedgerSheetSection[] =>
    row.sectionIds.map((id) => {
      const s = sections.get(id)!;
      return { id: s.id, path: s.path, title: s.title };
    });
  const buffer = await buildLedgerWorkbook({
    title: `${planTitle}台账`,
    subtitle: [summary, `状态截至 ${asOf}`, `导出时间 ${formatShanghaiTime(now)}`].filter(Boolean).join('　'),
    rows: rows.map((row) => ({ row, sections: sectionsOf(row), statusLabel: STATUS_LABELS[row.status] })),
    showPlan: !filter.planId && plans.length > 1,
  });
  return { buffer, filename: `${planTitle}台账-${asOf}.xlsx` };
}

async function describeFilter(db: DbOrTrx, actor: Actor, filter: LedgerFilter, sections: Ledger['sections']): Promise<string> {
  const parts: string[] = [];
  const names = await readableOrgNames(
    db,
    actor,
    [filter.leadOrgId, filter.orgId].filter((id): id is string => Boolean(id)),
  );
  const orgName = (id: string) => names.get(id) ?? '（无此单位）';
  if (filter.sectionId) {
    const s = sections.get(filter.sectionId);
    parts.push(`章节：${s ? `${s.path.join('')} ${s.title}` : '（无此章节）'}`);
  }
  if (filter.leadOrgId) parts.push(`牵头单位：${orgName(filter.leadOrgId)}`);
  if (filter.orgId) parts.push(`责任单位：${orgName(filter.orgId)}`);
  if (filter.status) parts.push(`状态：${STATUS_LABELS[filter.status]}`);
  if (filter.dueFrom || filter.dueTo) parts.push(`完成时限：${filter.dueFrom ?? '…'} 至 ${filter.dueTo ?? '…'}`);
  if (filter.q?.trim()) parts.push(`关键词：“${filter.q.trim()}”`);
  if (filter.mine) parts.push('仅本单位');
  return parts.length > 0 ? `筛选条件：${parts.join('；')}` : '全部任务';
}

/** "2026-11-28 09:30" in Asia/Shanghai: the office's clock, whatever the server's zone. */
function formatShanghaiTime(now: Date): string {
  const t = new Date(now.getTime() + 8 * 3_600_000).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 16)}`;
}
