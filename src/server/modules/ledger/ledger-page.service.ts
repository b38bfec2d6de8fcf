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
import { matchLedgerRow } from '../../../shared/ledger-filter.ts';
import { getOrganisation } from '../organisations/organisations.service.ts';
import { listLedgerPlans } from '../plans/plan-rows.queries.ts';
import { readablePlanIdsOfTenant } from '../plans/plans.service.ts';
import { cachedLedger } from './ledger-cache.service.ts';
import type { Ledger } from './ledger.service.ts';

/**
 * The ledger page and the Excel export (issue 13 §3, ADR 0009): the rows of the plans in scope
 * come from each plan's cached rows (ledger-cache.service.ts, rebuilt after a write to the plan),
 * and are filtered, counted and paged by the shared filter itself (src/shared/ledger-filter.ts
 * matchLedgerRow, the browser's), so a row reads the same in the full ledger, a page and the
 * export, and a filter has one definition.
 */

/** The most rows one export writes; a larger selection is refused with ledger_export_too_large. */
export const LEDGER_EXPORT_MAX_ROWS = 50_000;

const collator = new Intl.Collator('zh-CN');

/**
 * The ledger of the plans `actor` reads (the plan, or every active plan; within `tenant` if given),
 * from the plans' cached rows (ledger-cache.service.ts): buildLedger's rows and order.
 */
async function scopedLedger(
  db: DbOrTrx,
  actor: Actor,
  opts: { planId?: string; tenant?: string; asOf: string; mineFirst?: boolean },
): Promise<Ledger> {
  const listed = await listLedgerPlans(db, opts.planId);
  const readable = await readablePlanIdsOfTenant(
    db,
    actor,
    listed.map((p) => p.id),
    opts.tenant,
  );
  const plans = listed.filter((p) => readable.has(p.id)).map((p) => ({ id: p.id, title: p.title }));
  if (opts.planId && plans.length === 0) throw new AppError('not_found', 'plan not found');
  return cachedLedger(db, actor, plans, opts.asOf, opts.mineFirst);
}

// The 'due' order: the first deadline, rows without one last; otherwise the ledger's own order (a stable sort).
function sortByDue(rows: LedgerRow[]): LedgerRow[] {
  const first = (r: LedgerRow) => r.deadlines[0] ?? '\uffff';
  return [...rows].sort((a, b) => (first(a) < first(b) ? -1 : first(a) > first(b) ? 1 : 0));
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
  const ledger = await scopedLedger(db, actor, { planId: filter.planId, tenant: query.tenant, asOf });
  // The shared filter itself (matchLedgerRow), over the rows in scope: the browser's, the
  // dashboard links' and the export's definition, one for all.
  const match = matchLedgerRow(filter);
  const kept = ledger.rows.filter(match);
  const ordered = sort === 'due' ? sortByDue(kept) : kept;
  const rows = ordered.slice((page - 1) * pageSize, page * pageSize);

  // Each facet counts the rows the other keys keep (its own key left out).
  const status = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
  for (const row of ledger.rows.filter(matchLedgerRow({ ...filter, status: undefined }))) status[row.status] += 1;
  const orgCounts = new Map<string, LedgerFacetOrg>();
  for (const row of ledger.rows.filter(matchLedgerRow({ ...filter, orgId: undefined }))) {
    if (!row.responsible) continue;
    const entry = orgCounts.get(row.responsible.id) ?? { id: row.responsible.id, name: row.responsible.name, count: 0 };
    entry.count += 1;
    orgCounts.set(entry.id, entry);
  }
  const leadCounts = new Map<string, LedgerFacetOrg>();
  for (const row of ledger.rows.filter(matchLedgerRow({ ...filter, leadOrgId: undefined }))) {
    const seen = new Set<string>();
    for (const lead of row.lead) {
      if (seen.has(lead.id)) continue;
      seen.add(lead.id);
      const entry = leadCounts.get(lead.id) ?? { id: lead.id, name: lead.name, count: 0 };
      entry.count += 1;
      leadCounts.set(entry.id, entry);
    }
  }
  const byName = (a: LedgerFacetOrg, b: LedgerFacetOrg) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : 1);
  const org = await withChosen(db, actor, [...orgCounts.values()], filter.orgId);
  const lead = await withChosen(db, actor, [...leadCounts.values()], filter.leadOrgId);
  return {
    rows,
    total: kept.length,
    unfiltered: ledger.rows.length,
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
  // Document order whoever exports: the rows as an administrator's ledger orders them (no own rows first).
  const ledger = await scopedLedger(db, actor, { planId: filter.planId, tenant: query.tenant, asOf, mineFirst: false });
  const rows = ledger.rows.filter(matchLedgerRow(filter));
  if (rows.length > LEDGER_EXPORT_MAX_ROWS) {
    throw new AppError('ledger_export_too_large', `more than ${LEDGER_EXPORT_MAX_ROWS} rows to export`, { max: LEDGER_EXPORT_MAX_ROWS });
  }
  const sections = ledger.sections;
  const plans = ledger.plans;
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
