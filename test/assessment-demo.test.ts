import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AssessmentScheme, schemeIssues } from '../src/shared/schemas/assessment.schema.ts';
import { type DbHandle, migrateToLatest, openDatabase } from '../src/server/db/database.ts';
import { seedDemoIfEmpty } from '../src/server/demo/demo-seed.ts';
import {
  getAssessment,
  getSheet,
  listAssessments,
  listConsequences,
  listSchemes,
  verifyAssessment,
} from '../src/server/modules/assessment/assessment.service.ts';
import { listBulletins, renderBulletin } from '../src/server/modules/assessment/bulletin.service.ts';
import type { Actor } from '../src/server/core/actor.ts';
import { listPublicPublications } from '../src/server/modules/publications/publications.service.ts';
import { describeEachDialect } from './helpers/dialects.ts';

const quiet = { info: () => {}, warn: () => {} };

describeEachDialect('demo assessment scheme', (ctx) => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = openDatabase(ctx.url());
    await migrateToLatest(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('is built from the plan’s own sections, ranking counties with counties and departments with departments', async () => {
    await seedDemoIfEmpty(handle.db, { demo: true, adminPassword: undefined, today: '2018-06-20' }, quiet);
    const admin = await handle.db.selectFrom('users').select(['id', 'org_id']).where('username', '=', 'admin').executeTakeFirstOrThrow();
    const { items } = await listSchemes(handle.db, { userId: admin.id, orgId: admin.org_id, role: 'admin', displayName: '' });
    expect(items).toHaveLength(1);
    const s = (items[0] as AssessmentScheme).scheme;
    const sections = s.categories.filter((c) => /^s\d+$/.test(c.id));
    expect(sections.map((c) => c.label)).toEqual(
      expect.arrayContaining([expect.stringContaining('重点任务'), expect.stringContaining('城市管理')]),
    );
    // The section categories share 60 points; 信息报送 and 督办落实 20 each.
    expect(sections.reduce((n, c) => n + c.points, 0)).toBe(60);
    expect(s.categories.reduce((n, c) => n + c.points, 0)).toBe(100);
    const names = new Map((await handle.db.selectFrom('organisations').select(['id', 'name']).execute()).map((o) => [o.id, o.name]));
    const counties = s.groups.find((g) => g.id === 'counties')!.orgIds.map((id) => names.get(id));
    expect(counties).toContain('淇县政府');
    expect(s.groups.find((g) => g.id === 'departments')!.orgIds.map((id) => names.get(id))).toContain('市住房和城乡建设局');
    // The service saves it without the route's check: it must still keep every shared scheme rule,
    // or the editor would open the demo with errors and refuse to save it unchanged.
    expect(schemeIssues(s).errors).toEqual([]);
  }, 180_000);

  it('has no assessment when the record ends before the half-year is closed', async () => {
    const admin = await actorOf(handle, 'admin');
    expect((await listAssessments(handle.db, admin)).items).toEqual([]);
  });
});

async function actorOf(handle: DbHandle, username: string): Promise<Actor> {
  const u = await handle.db.selectFrom('users').select(['id', 'org_id', 'role']).where('username', '=', username).executeTakeFirstOrThrow();
  return { userId: u.id, orgId: u.org_id, role: u.role as Actor['role'], displayName: username };
}

describeEachDialect('demo half-year assessment (a record dated after July)', (ctx) => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = openDatabase(ctx.url());
    await migrateToLatest(handle.db);
    await seedDemoIfEmpty(handle.db, { demo: true, adminPassword: undefined, today: '2018-12-20' }, quiet);
    // A whole demo year through the services: 10–15 s on PostgreSQL idle, much more on a shared machine.
  }, 180_000);
  afterAll(async () => {
    await handle?.close();
  });

  it('is final and bulletined: 领导评价 for every county, 淇县’s objection answered, consequences proposed', async () => {
    const admin = await actorOf(handle, 'admin');
    const { items } = await listAssessments(handle.db, admin);
    expect(items.map((a) => [a.title, a.start, a.end, a.stage])).toEqual([
      ['2018年上半年百城建设提质工程考核', '2018-01-01', '2018-06-30', 'final'],
    ]);
    const run = await getAssessment(handle.db, items[0]!.id, admin);
    // The record's own dates are the demo's calendar, not the day the seed ran.
    expect(run.publishedAt?.slice(0, 10)).toBe('2018-07-23');
    const counties = run.units.filter((u) => u.groupId === 'counties');
    expect(counties.length).toBeGreaterThanOrEqual(5);
    for (const unit of counties) {
      const sheet = await getSheet(handle.db, run.id, unit.orgId, admin);
      const leader = sheet.lines.find((l) => l.ruleId === 'leader')!;
      expect(leader.points).toBeGreaterThan(0);
      expect(sheet.adjustments.some((a) => a.ruleId === 'leader' && a.reason.includes('实地核查'))).toBe(true);
    }
    const qixian = await actorOf(handle, 'qixian');
    const own = await getSheet(handle.db, run.id, undefined, qixian);
    expect(own.objections).toHaveLength(1);
    expect(own.objections[0]).toMatchObject({ outcome: 'rejected' });
    // It objected to its heaviest deduction, a line with events behind it.
    const objected = own.lines.find((l) => l.ruleId === own.objections[0]!.ruleId)!;
    expect(objected.points).toBe(Math.min(...own.lines.map((l) => l.points)));
    expect(objected.eventIds.length).toBeGreaterThan(0);
    expect((await listConsequences(handle.db, run.id, admin)).items.length).toBeGreaterThan(0);
    // Recomputing from the stored record gives the stored numbers.
    expect((await verifyAssessment(handle.db, run.id, admin)).identical).toBe(true);

    const bulletins = (await listBulletins(handle.db, run.id, qixian)).items;
    expect(bulletins.map((b) => [b.status, b.year, b.serial])).toEqual([['issued', 2018, 1]]);
    const pdf = await renderBulletin(handle.db, bulletins[0]!.id, 'pdf', qixian);
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('is published to the public with its 通报 and the year’s project library, dated by the demo’s clock', async () => {
    const pubs = await listPublicPublications(handle.db);
    const byKind = new Map(pubs.map((p) => [p.kind, p]));
    expect([...byKind.keys()].sort()).toEqual(['assessment', 'bulletin', 'period', 'project_library']);
    expect(byKind.get('assessment')!.title).toBe('2018年上半年百城建设提质工程考核');
    expect(byKind.get('bulletin')!.title).toContain('〔2018〕1号');
    // The library is dated by the server's today (the demo's 2018-12-20), never the machine's date.
    expect(byKind.get('project_library')!.asOf).toBe('2018-12-20');
    expect(pubs.every((p) => p.publishedAt.startsWith('2018-12-20'))).toBe(true);
  });
});
