import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AssessmentScheme } from '../src/shared/schemas/assessment.schema.ts';
import { type DbHandle, migrateToLatest, openDatabase } from '../src/server/db/database.ts';
import { seedDemoIfEmpty } from '../src/server/demo/demo-seed.ts';
import { listSchemes } from '../src/server/modules/assessment/assessment.service.ts';
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
  });
});
