import { describe, expect, it } from 'vitest';
import { filterLedgerRows } from '../src/shared/ledger-filter.ts';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../src/shared/enums.ts';
import {
  type LedgerFilter,
  LedgerPageResponse,
  LedgerResponse,
  type LedgerRow,
  type LedgerSort,
} from '../src/shared/schemas/ledger.schema.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makeOrg, makePlan, type TaskSpec } from './helpers/factories.ts';
import { type TestApp, type TestClient, useTestApp } from './helpers/test-app.ts';

/**
 * The ledger page (GET /api/ledger/page, filtered, sorted, counted and paged in SQL) against the
 * shared filter: for generated plans and filters, its page, total and facets are those of
 * filterLedgerRows over the full ledger (GET /api/ledger), for three kinds of reader.
 */

const AS_OF = '2026-07-01';

// A small deterministic generator (mulberry32): the same data and filters on every run.
function rng(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const some = <T>(xs: readonly T[], max: number): T[] => {
    const out = new Set<T>();
    const n = int(max + 1);
    for (let i = 0; i < n; i++) out.add(pick(xs));
    return [...out];
  };
  return { next, int, pick, some };
}

const WORDS = ['Road', '道路', 'PARK', '公园', 'water', '供水', 'Gas', '燃气', 'school', '学校', '老旧小区', 'Toilet'];
const DATES = ['2026-03-31', '2026-06-30', '2026-07-01', '2026-09-30', '2026-12-31', '2027-06-30'];

interface World {
  planIds: string[];
  sectionIds: string[];
  orgIds: string[];
  words: string[];
}

async function buildWorld(t: TestApp): Promise<World> {
  const r = rng(20261203);
  const depts = [t.orgs.leadDept.id, t.orgs.office.id];
  for (let i = 0; i < 4; i++) depts.push((await makeOrg(t, { name: `${r.pick(['Dept', '局', 'Bureau'])}${i}号${r.pick(WORDS)}` })).id);
  const counties = [t.orgs.county.id, t.orgs.county2.id];
  for (let i = 0; i < 3; i++) {
    counties.push((await makeOrg(t, { name: `${r.pick(['区', 'District ', '县'])}${i}${r.pick(WORDS)}`, kind: 'jurisdiction' })).id);
  }
  const group2 = await makeOrg(t, { name: '各县区Group', kind: 'group', memberIds: [counties[0]!, counties[2]!, counties[3]!] });
  const emptyGroup = await makeOrg(t, { name: '空组', kind: 'group' });
  const responsibles = [...counties, t.orgs.group.id, group2.id, emptyGroup.id, ...depts.slice(2)];

  const planIds: string[] = [];
  const sectionIds: string[] = [];
  for (let p = 0; p < 2; p++) {
    const tasks: TaskSpec[] = [];
    for (let i = 0; i < 40; i++) {
      tasks.push({
        text: `${r.pick(WORDS)}改造${i} ${r.pick(WORDS)}`,
        section: r.int(5) === 0 ? undefined : r.int(4),
        assignments: [
          ...r.some(depts, 2).map((orgId) => ({ orgId, role: 'lead' as const })),
          ...r.some(responsibles, 3).map((orgId) => ({ orgId, role: 'responsible' as const })),
          ...r.some(depts, 1).map((orgId) => ({ orgId, role: 'cooperating' as const })),
        ],
        deadlines: r.some(DATES, 2).map((date) => ({ date, text: date })),
        targets: Array.from({ length: r.int(3) }, () => {
          const org = r.int(2) === 0 ? null : r.pick(counties);
          return {
            metric: `${r.pick(WORDS)}数`,
            unit: '个',
            value: 1 + r.int(50),
            jurisdictionOrgId: org,
            jurisdictionLabel: org === null ? null : r.pick(['Qi县', '两县', '市城区']),
          };
        }),
      });
    }
    const made = await makePlan(t, {
      title: `方案${p}`,
      sections: [
        { path: ['一'], title: 'General 总体' },
        { path: ['(一)'], title: '重点Tasks' },
        { path: ['1'], title: 'Sub 子项' },
        { path: ['二'], title: '保障措施' },
      ],
      tasks,
    });
    // A nested outline: 一 > (一) > 1, and 二 on its own.
    await t.db.updateTable('sections').set({ parent_id: made.sectionIds[0]! }).where('id', '=', made.sectionIds[1]!).execute();
    await t.db.updateTable('sections').set({ parent_id: made.sectionIds[1]! }).where('id', '=', made.sectionIds[2]!).execute();
    for (const task of made.tasks) {
      await t.db
        .updateTable('tasks')
        .set({ status: r.pick(DELIVERY_STATUSES) })
        .where('id', '=', task.id)
        .execute();
    }
    planIds.push(made.planId);
    sectionIds.push(...made.sectionIds);
  }
  return { planIds, sectionIds, orgIds: [...depts, ...responsibles], words: WORDS };
}

function filters(world: World): LedgerFilter[] {
  const r = rng(7);
  const out: LedgerFilter[] = [
    {},
    { planId: world.planIds[0] },
    { q: 'road' },
    { q: 'ROAD' },
    { q: '  改造1 ' },
    { q: 'qi县' },
    { q: '各县区group' },
    { q: '\n' },
    { q: 'no such text' },
    { sectionId: world.sectionIds[0] },
    { dueTo: '2026-06-30' },
    { dueFrom: '2026-12-31' },
    { mine: true },
    { status: 'overdue' },
  ];
  for (let i = 0; i < 30; i++) {
    const f: LedgerFilter = {};
    if (r.int(2) === 0) f.planId = r.pick(world.planIds);
    if (r.int(4) === 0) f.sectionId = r.pick(world.sectionIds);
    if (r.int(4) === 0) f.leadOrgId = r.pick(world.orgIds);
    if (r.int(4) === 0) f.orgId = r.pick(world.orgIds);
    if (r.int(3) === 0) f.status = r.pick(DELIVERY_STATUSES);
    if (r.int(4) === 0) f.dueFrom = r.pick(DATES);
    if (r.int(4) === 0) f.dueTo = r.pick(DATES);
    if (r.int(3) === 0) f.q = r.pick(world.words).slice(0, 1 + r.int(3));
    if (r.int(6) === 0) f.mine = true;
    out.push(f);
  }
  return out;
}

function query(params: Record<string, string | number | boolean | undefined>): string {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') out.set(k, v === true ? '1' : String(v));
  return out.toString();
}

const count = <T>(xs: readonly T[], key: (x: T) => string[]) => {
  const m = new Map<string, number>();
  for (const x of xs) for (const k of new Set(key(x))) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
};

function expectedPage(full: LedgerRow[], filter: LedgerFilter, sort: LedgerSort, page: number, pageSize: number) {
  let kept = filterLedgerRows(full, filter);
  if (sort === 'due') {
    const first = (r: LedgerRow) => r.deadlines[0] ?? '\uffff';
    kept = [...kept].sort((a, b) => (first(a) < first(b) ? -1 : first(a) > first(b) ? 1 : 0));
  }
  const status = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
  for (const row of filterLedgerRows(full, { ...filter, status: undefined })) status[row.status] += 1;
  const org = count(filterLedgerRows(full, { ...filter, orgId: undefined }), (r) => (r.responsible ? [r.responsible.id] : []));
  const lead = count(filterLedgerRows(full, { ...filter, leadOrgId: undefined }), (r) => r.lead.map((o) => o.id));
  // The chosen one stays listed with 0 when the other keys leave it nothing.
  if (filter.orgId && !org.has(filter.orgId) && full.length > 0) org.set(filter.orgId, 0);
  if (filter.leadOrgId && !lead.has(filter.leadOrgId) && full.length > 0) lead.set(filter.leadOrgId, 0);
  return {
    keys: kept.slice((page - 1) * pageSize, page * pageSize).map((r) => r.key),
    total: kept.length,
    status,
    org: Object.fromEntries(org),
    lead: Object.fromEntries(lead),
  };
}

describeEachDialect('ledger page (SQL) against the shared filter', (ctx) => {
  const t = useTestApp(ctx, { today: AS_OF });
  let built: Promise<World> | undefined;
  const world = () => {
    built ??= buildWorld(t());
    return built;
  };

  it('pages, counts and facets exactly as filterLedgerRows over the full ledger, for every reader', async () => {
    const w = await world();
    const readers: TestClient[] = [await t().login('admin'), await t().login('lead'), await t().login('unit')];
    let compared = 0;
    for (const client of readers) {
      const fullRes = await client.get(`/api/ledger?asOf=${AS_OF}`);
      expect(fullRes.statusCode, fullRes.body).toBe(200);
      const all = LedgerResponse.parse(fullRes.json()).rows;
      expect(all.length).toBeGreaterThan(80);
      const byPlan = new Map<string, LedgerRow[]>();
      for (const planId of w.planIds) {
        byPlan.set(planId, LedgerResponse.parse((await client.get(`/api/ledger?planId=${planId}&asOf=${AS_OF}`)).json()).rows);
      }
      for (const [i, filter] of filters(w).entries()) {
        const full = filter.planId ? byPlan.get(filter.planId)! : all;
        const sort: LedgerSort = i % 3 === 2 ? 'due' : 'default';
        const pageSize = i % 2 === 0 ? 7 : 50;
        const page = i % 4 === 1 ? 2 : 1;
        const res = await client.get(`/api/ledger/page?${query({ ...filter, asOf: AS_OF, sort, page, pageSize })}`);
        expect(res.statusCode, res.body).toBe(200);
        const body = LedgerPageResponse.parse(res.json());
        const want = expectedPage(full, filter, sort, page, pageSize);
        const label = `${client.role} ${JSON.stringify(filter)} sort=${sort} page=${page}/${pageSize}`;
        expect(body.total, label).toBe(want.total);
        expect(body.unfiltered, label).toBe(full.length);
        expect(
          body.rows.map((r) => r.key),
          label,
        ).toEqual(want.keys);
        expect(body.facets.status, label).toEqual(want.status);
        expect(Object.fromEntries(body.facets.org.map((o) => [o.id, o.count])), label).toEqual(want.org);
        expect(Object.fromEntries(body.facets.lead.map((o) => [o.id, o.count])), label).toEqual(want.lead);
        // A page row is the full ledger's row, field for field.
        const fullByKey = new Map(full.map((row) => [row.key, row]));
        for (const row of body.rows) expect(row, label).toEqual(fullByKey.get(row.key));
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('exports exactly the rows the page keeps, in document order', async () => {
    const w = await world();
    const admin = await t().login('admin');
    const filter: LedgerFilter = { planId: w.planIds[1], q: 'road' };
    const page = LedgerPageResponse.parse((await admin.get(`/api/ledger/page?${query({ ...filter, pageSize: 500 })}`)).json());
    const res = await admin.get(`/api/ledger/export.xlsx?${query(filter)}`);
    expect(res.statusCode).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    let dataRows = 0;
    workbook.getWorksheet('台账')!.eachRow((row, n) => {
      if (n > 3 && typeof row.getCell(1).value === 'number') dataRows += 1;
    });
    expect(page.total).toBeGreaterThan(0);
    expect(dataRows).toBe(page.total);
  });

  it('answers a tenant the caller does not read with 404, and bad paging with 400', async () => {
    const admin = await t().login('admin');
    const res = await admin.get(`/api/ledger/page?tenant=${t().orgs.county.id}`);
    expect(res.statusCode).toBe(404);
    expect((await admin.get('/api/ledger/page?page=0')).statusCode).toBe(400);
    expect((await admin.get('/api/ledger/page?pageSize=100000')).statusCode).toBe(400);
    expect((await admin.get('/api/ledger/export.xlsx?tenant=nope')).statusCode).toBe(400);
  });
});

describe('the generator', () => {
  it('is deterministic', () => {
    expect(rng(1).next()).toBe(rng(1).next());
  });
});
