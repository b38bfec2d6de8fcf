/**
 * Jurisdictions and tenancy (issue 12, docs/decisions/0006-tenancy.md), first step: plans,
 * ledger, registry and accounts are scoped to the tenant of the caller's organisation. Each case
 * builds a province with two cities of its own (factories); the seeded organisations and users
 * of the test app stay untenanted.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileMigrationProvider, Migrator } from 'kysely';
import { expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { writeTx } from '../src/server/core/transaction.ts';
import { openDatabase } from '../src/server/db/database.ts';
import { adoptUntenantedPlans, createPlanFromGraph } from '../src/server/modules/plans/plans.service.ts';
import { declareTenant, subtreeOf, tenantOf } from '../src/server/modules/organisations/organisations.service.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makeOrg, makePlan, makeUser, unique } from './helpers/factories.ts';
import { useTestApp } from './helpers/test-app.ts';
import { makeProvince } from './helpers/tenancy-factories.ts';

describeEachDialect('tenancy', (ctx) => {
  const t = useTestApp(ctx);

  it('organisations belong to the tenant above them; subtreeOf walks the registry tree', async () => {
    const p = await makeProvince(t());
    expect(await tenantOf(t().db, p.a.county.id)).toBe(p.a.office.id);
    expect(await tenantOf(t().db, p.a.office.id)).toBe(p.a.office.id);
    expect(await tenantOf(t().db, p.office.id)).toBe(p.office.id);
    expect(await subtreeOf(t().db, p.a.office.id)).toEqual([p.a.office.id, p.a.county.id]);
    const plan = await t().db.selectFrom('plans').select('owner_org_id').where('id', '=', p.b.plan.planId).executeTakeFirstOrThrow();
    expect(plan.owner_org_id).toBe(p.b.office.id);
  });

  it('city office A neither reads nor writes city B’s plans and ledger', async () => {
    const p = await makeProvince(t());
    const a = await p.a.admin.login();
    const plans = (await a.get('/api/plans')).json().items.map((x: { id: string }) => x.id);
    expect(plans).toContain(p.a.plan.planId);
    expect(plans).not.toContain(p.b.plan.planId);
    expect((await a.get(`/api/plans/${p.a.plan.planId}`)).statusCode).toBe(200);
    expect((await a.get(`/api/plans/${p.b.plan.planId}`)).statusCode).toBe(404);
    const patch = await a.patch(`/api/plans/${p.b.plan.planId}`, { version: 1, title: '改名' });
    expect(patch.statusCode).toBe(404);
    const title = await t().db.selectFrom('plans').select('title').where('id', '=', p.b.plan.planId).executeTakeFirstOrThrow();
    expect(title.title).not.toBe('改名');
    expect((await a.get(`/api/ledger?planId=${p.b.plan.planId}`)).statusCode).toBe(404);
    const ledger = await a.get('/api/ledger');
    expect(ledger.statusCode).toBe(200);
    const planIds = new Set(ledger.json().rows.map((r: { planId: string }) => r.planId));
    expect(planIds.has(p.a.plan.planId)).toBe(true);
    expect(planIds.has(p.b.plan.planId)).toBe(false);
    expect((await a.get(`/api/dashboard?planId=${p.b.plan.planId}`)).statusCode).toBe(404);
    expect((await a.get(`/api/ledger/export.xlsx?planId=${p.b.plan.planId}`)).statusCode).toBe(404);
    const dashboard = await a.get('/api/dashboard');
    expect(dashboard.statusCode).toBe(200);
    expect(dashboard.json().totals.tasks).toBe(ledger.json().rows.length);
    // Its tasks, their history and their rows: not there for A, not writable by A.
    const taskB = p.b.plan.tasks[0]!.id;
    expect((await a.get(`/api/plans/${p.b.plan.planId}/tasks`)).statusCode).toBe(404);
    expect((await a.get(`/api/tasks/${taskB}`)).statusCode).toBe(404);
    expect((await a.get(`/api/tasks/${taskB}/history`)).statusCode).toBe(404);
    expect((await a.patch(`/api/tasks/${taskB}`, { version: 1, text: '被改' })).statusCode).toBe(404);
    expect((await a.post(`/api/tasks/${taskB}/deadlines`, { date: '2026-12-31', text: '年底前' })).statusCode).toBe(404);
    expect((await a.post(`/api/tasks/${taskB}/assignments`, { orgId: p.a.county.id, role: 'cooperating' })).statusCode).toBe(404);
    expect((await a.delete(`/api/assignments/${p.b.plan.tasks[0]!.assignmentIds[0]}`)).statusCode).toBe(404);
    expect((await t().db.selectFrom('assignments').select('id').where('task_id', '=', taskB).execute()).length).toBe(1);
    expect((await a.get(`/api/tasks/${p.a.plan.tasks[0]!.id}`)).statusCode).toBe(200);
    // A county user of A: the same limit.
    const unit = await p.a.unit.login();
    expect((await unit.get(`/api/plans/${p.b.plan.planId}`)).statusCode).toBe(404);
    expect((await unit.get(`/api/ledger?planId=${p.b.plan.planId}`)).statusCode).toBe(404);
    expect((await unit.get('/api/plans')).json().items.map((x: { id: string }) => x.id)).not.toContain(p.b.plan.planId);
  });

  it('city office A cannot edit the structure of city B’s plan; the province cannot either', async () => {
    const p = await makeProvince(t());
    const b = p.b.plan;
    const [task, other] = b.tasks.map((x) => x.id) as [string, string];
    const section = b.sectionIds[0]!;
    // City A does not see B's plan (404); the province sees it but does not administer it (403).
    const callers: Array<[Awaited<ReturnType<typeof p.admin.login>>, number]> = [
      [await p.a.admin.login(), 404],
      [await p.admin.login(), 403],
    ];
    for (const [caller, expected] of callers) {
      const codes = [
        (await caller.post(`/api/plans/${b.planId}/sections`, { title: '新章节' })).statusCode,
        (await caller.patch(`/api/sections/${section}`, { version: 1, title: '改名' })).statusCode,
        (await caller.post(`/api/sections/${section}/move`, { version: 1, direction: 'down' })).statusCode,
        (await caller.delete(`/api/sections/${section}?version=1`)).statusCode,
        (await caller.post(`/api/tasks/${task}/move`, { version: 1, direction: 'down' })).statusCode,
        (await caller.post(`/api/tasks/${task}/split`, { version: 1, text: '甲', newText: '乙' })).statusCode,
        (await caller.post(`/api/tasks/${task}/merge`, { version: 1, otherTaskId: other, otherVersion: 1 })).statusCode,
      ];
      expect(codes).toEqual(Array(7).fill(expected));
    }
    const sections = await t().db.selectFrom('sections').select(['title', 'version']).where('plan_id', '=', b.planId).execute();
    expect(sections).toEqual([{ title: '总体要求', version: 1 }]);
    const tasks = await t().db.selectFrom('tasks').select(['id', 'version']).where('plan_id', '=', b.planId).orderBy('seq').execute();
    expect(tasks).toEqual([
      { id: task, version: 1 },
      { id: other, version: 1 },
    ]);
    // The same edits on its own plan go through for A.
    const a = await p.a.admin.login();
    expect((await a.patch(`/api/sections/${p.a.plan.sectionIds[0]}`, { version: 1, title: '改名' })).statusCode).toBe(200);
  });

  it('city office A neither reads nor writes city B’s registry', async () => {
    const p = await makeProvince(t());
    const a = await p.a.admin.login();
    const list = await a.get('/api/organisations');
    const ids = list.json().items.map((o: { id: string }) => o.id);
    expect(ids).toEqual(expect.arrayContaining([p.a.office.id, p.a.county.id]));
    expect(ids).not.toContain(p.b.county.id);
    expect(ids).not.toContain(p.b.office.id);
    expect(ids).not.toContain(p.office.id);
    expect(ids).not.toContain(t().orgs.county.id);
    const registry = await a.get('/api/organisations/registry');
    expect(registry.body).not.toContain(p.b.county.name);
    expect(registry.json().organisations.find((o: { id: string }) => o.id === p.a.office.id).parentId).toBeUndefined();
    expect((await a.get(`/api/organisations/${p.b.county.id}`)).statusCode).toBe(404);
    expect((await a.patch(`/api/organisations/${p.b.county.id}`, { version: 1, name: '改名县' })).statusCode).toBe(404);
    expect((await a.delete(`/api/organisations/${p.b.county.id}?version=1`)).statusCode).toBe(404);
    const under = await a.post('/api/organisations', { name: `乡${unique()}`, kind: 'jurisdiction', parentId: p.b.county.id });
    expect(under.statusCode).toBe(404);
    const group = await a.post('/api/organisations', { name: `组${unique()}`, kind: 'group', memberIds: [p.a.county.id, p.b.county.id] });
    expect(group.statusCode).toBe(400);
    expect(group.json().errors[0].path).toBe('memberIds');
    // What A creates is A's, with or without a parent.
    const own = await a.post('/api/organisations', { name: `局${unique()}`, kind: 'department' });
    expect(own.statusCode).toBe(201);
    expect(own.json().tenantId).toBe(p.a.office.id);
    const b = await p.b.admin.login();
    expect((await b.get(`/api/organisations/${own.json().id}`)).statusCode).toBe(404);
    // An import matches and changes nothing of B's, even by B's names: names are unique per
    // tenant (2026_12_03_0300), so A gets an organisation of that name of its own.
    const imp = await a.post('/api/organisations/registry', {
      organisations: [{ id: 'x', name: p.b.county.name, aliases: [], kind: 'jurisdiction' }],
    });
    expect(imp.statusCode).toBe(200);
    expect(imp.json()).toEqual({ created: 1, updated: 0 });
    const county = await t()
      .db.selectFrom('organisations')
      .select(['version', 'tenant_id'])
      .where('id', '=', p.b.county.id)
      .executeTakeFirstOrThrow();
    expect(county).toEqual({ version: 1, tenant_id: p.b.office.id });
  });

  it('city office A neither reads nor administers city B’s accounts', async () => {
    const p = await makeProvince(t());
    const a = await p.a.admin.login();
    const users = (await a.get('/api/users')).json();
    const names = users.items.map((u: { username: string }) => u.username);
    expect(names).toEqual(expect.arrayContaining([p.a.admin.username, p.a.unit.username]));
    expect(names).not.toContain(p.b.admin.username);
    expect(names).not.toContain(p.b.unit.username);
    expect(names).not.toContain('admin');
    expect(users.total).toBe(names.length);
    const edit = await a.patch(`/api/users/${p.b.unit.user.id}`, { version: 1, displayName: '被改' });
    expect(edit.statusCode).toBe(404);
    const create = await a.post('/api/users', {
      username: `u${unique()}`,
      displayName: '甲',
      orgId: p.b.county.id,
      role: 'unit',
      password: 'tenant-pass-01',
    });
    expect(create.statusCode).toBe(400);
    const move = await a.patch(`/api/users/${p.a.unit.user.id}`, { version: 1, orgId: p.b.county.id });
    expect(move.statusCode).toBe(400);
    const mine = await a.post('/api/users', {
      username: `u${unique()}`,
      displayName: '乙',
      orgId: p.a.county.id,
      role: 'unit',
      password: 'tenant-pass-01',
    });
    expect(mine.statusCode).toBe(201);
  });

  it('the province office reads both cities and changes only its own', async () => {
    const p = await makeProvince(t());
    const prov = await p.admin.login();
    const plans = (await prov.get('/api/plans')).json().items.map((x: { id: string }) => x.id);
    expect(plans).toEqual(expect.arrayContaining([p.a.plan.planId, p.b.plan.planId]));
    expect((await prov.get(`/api/plans/${p.b.plan.planId}`)).statusCode).toBe(200);
    const ledger = new Set((await prov.get('/api/ledger')).json().rows.map((r: { planId: string }) => r.planId));
    expect(ledger.has(p.a.plan.planId) && ledger.has(p.b.plan.planId)).toBe(true);
    const orgs = (await prov.get('/api/organisations')).json().items.map((o: { id: string }) => o.id);
    expect(orgs).toEqual(expect.arrayContaining([p.office.id, p.a.county.id, p.b.county.id]));
    const users = (await prov.get('/api/users')).json().items.map((u: { username: string }) => u.username);
    expect(users).toEqual(expect.arrayContaining([p.a.admin.username, p.b.unit.username]));
    expect((await prov.patch(`/api/plans/${p.a.plan.planId}`, { version: 1, title: '省改' })).statusCode).toBe(403);
    expect((await prov.get(`/api/tasks/${p.a.plan.tasks[0]!.id}`)).statusCode).toBe(200);
    expect((await prov.patch(`/api/tasks/${p.a.plan.tasks[0]!.id}`, { version: 1, text: '省改' })).statusCode).toBe(403);
    expect((await prov.patch(`/api/organisations/${p.b.county.id}`, { version: 1, name: '省改县' })).statusCode).toBe(403);
    expect((await prov.patch(`/api/users/${p.b.unit.user.id}`, { version: 1, displayName: '省改' })).statusCode).toBe(403);
    const own = await prov.post('/api/organisations', { name: `省厅${unique()}`, kind: 'department' });
    expect(own.json().tenantId).toBe(p.office.id);
    // The other province's cities are not below it.
    const other = await makeProvince(t());
    expect((await prov.get(`/api/plans/${other.a.plan.planId}`)).statusCode).toBe(404);
  });

  it('a plan created by a city user belongs to that city; one created internally to no city', async () => {
    const p = await makeProvince(t());
    const planId = randomUUID();
    const now = new Date().toISOString();
    const graph = {
      plan: {
        id: planId,
        title: `导入方案${unique()}`,
        issuer: null,
        year: 2026,
        status: 'active' as const,
        source_text: '',
        version: 1,
        created_at: now,
        updated_at: now,
      },
      sections: [],
      tasks: [],
      assignments: [],
      deadlines: [],
      targets: [],
    };
    await writeTx(t().db, (trx) => createPlanFromGraph(trx, graph, p.a.admin.user.id));
    const owner = await t().db.selectFrom('plans').select('owner_org_id').where('id', '=', planId).executeTakeFirstOrThrow();
    expect(owner.owner_org_id).toBe(p.a.office.id);
    expect((await (await p.b.admin.login()).get(`/api/plans/${planId}`)).statusCode).toBe(404);
    expect((await (await p.a.admin.login()).get(`/api/plans/${planId}`)).statusCode).toBe(200);
    const plan = await makePlan(t(), { tasks: [] });
    // An internal caller without a tenant: the plan is untenanted, and no city sees it.
    const row = await t().db.selectFrom('plans').select('owner_org_id').where('id', '=', plan.planId).executeTakeFirstOrThrow();
    expect(row.owner_org_id).toBeNull();
    expect((await (await p.a.admin.login()).get(`/api/plans/${plan.planId}`)).statusCode).toBe(404);
  });
});

// A database that declared no tenant becomes one city at run time, and a second city joins it.
describeEachDialect('tenancy adoption', (ctx) => {
  const t = useTestApp(ctx);

  it('the office adopts every organisation and plan; the seeded accounts see what they saw; a new city sees none of it', async () => {
    const plan = await makePlan(t(), {
      tasks: [{ text: `任务${unique()}`, assignments: [{ orgId: t().orgs.county.id, role: 'responsible' }] }],
    });
    const admin = await t().login('admin');
    const before = {
      orgs: (await admin.get('/api/organisations')).json(),
      users: (await admin.get('/api/users')).json(),
      plans: (await admin.get('/api/plans')).json(),
    };
    const office = t().orgs.office.id;
    await declareTenant(t().db, null, office, { level: 'city', parentOrgId: null, adoptUntenanted: true });
    expect(await adoptUntenantedPlans(t().db, null, office)).toBe(before.plans.total);
    const strip = (body: { items: Array<Record<string, unknown>> }) => body.items.map(({ tenantId: _t, ...rest }) => rest);
    expect(strip((await admin.get('/api/organisations')).json())).toEqual(strip(before.orgs));
    expect((await admin.get('/api/users')).json()).toEqual(before.users);
    expect((await admin.get('/api/plans')).json()).toEqual(before.plans);
    expect((await admin.get(`/api/ledger?planId=${plan.planId}`)).statusCode).toBe(200);
    expect((await t().db.selectFrom('organisations').select('id').where('tenant_id', 'is', null).execute()).length).toBe(0);
    await expect(adoptUntenantedPlans(t().db, null, t().orgs.county.id)).rejects.toMatchObject({ code: 'validation' });

    const other = await makeOrg(t(), { name: `新城市办${unique()}`, kind: 'office' });
    await declareTenant(t().db, null, other.id, { level: 'city', parentOrgId: null });
    const otherAdmin = await makeUser(t(), { orgId: other.id, role: 'admin' });
    const c = await otherAdmin.login();
    expect((await c.get('/api/plans')).json().total).toBe(0);
    expect((await c.get('/api/organisations')).json().items.map((o: { id: string }) => o.id)).toEqual([other.id]);
    expect((await c.get('/api/users')).json().items.map((u: { username: string }) => u.username)).toEqual([otherAdmin.username]);
    expect((await c.get(`/api/plans/${plan.planId}`)).statusCode).toBe(404);
    expect((await admin.get(`/api/organisations/${other.id}`)).statusCode).toBe(404);
  });
});

// An existing single-city database: the office of its first administrator becomes the city
// tenant and every organisation and plan goes under it; the old admin still sees everything.
describeEachDialect('tenancy migration', (ctx) => {
  it('puts an existing install under its office as one city', async () => {
    const handle = openDatabase(ctx.url());
    try {
      const folder = path.join(path.dirname(fileURLToPath(import.meta.url)), '../src/server/db/migrations');
      const migrator = new Migrator({ db: handle.db, provider: new FileMigrationProvider({ fs, path, migrationFolder: folder }) });
      const before = await migrator.migrateTo('2026_12_02_0320_create_demo_clock');
      expect(before.error).toBeUndefined();
      const now = new Date().toISOString();
      const db = handle.db as unknown as import('kysely').Kysely<any>;
      const org = (id: string, name: string, kind: string) =>
        db
          .insertInto('organisations')
          .values({ id, name, aliases: '[]', kind, admin_code: null, parent_id: null, version: 1, created_at: now, updated_at: now })
          .execute();
      await org('00000000-0000-4000-8000-000000000001', '市政府', 'office');
      await org('00000000-0000-4000-8000-000000000002', '市百城办', 'office');
      await org('00000000-0000-4000-8000-000000000003', '淇县', 'jurisdiction');
      await db
        .insertInto('users')
        .values({
          id: '00000000-0000-4000-8000-0000000000a1',
          username: 'admin',
          display_name: '管理员',
          org_id: '00000000-0000-4000-8000-000000000002',
          role: 'admin',
          password_hash: 'x',
          is_active: 1,
          failed_logins: 0,
          locked_until: null,
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await db
        .insertInto('plans')
        .values({
          id: '00000000-0000-4000-8000-0000000000b1',
          title: '方案',
          issuer: null,
          year: 2026,
          status: 'active',
          source_text: '',
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const after = await migrator.migrateToLatest();
      expect(after.error).toBeUndefined();
      const root = '00000000-0000-4000-8000-000000000002';
      expect(await db.selectFrom('tenants').select(['org_id', 'level', 'parent_org_id']).execute()).toEqual([
        { org_id: root, level: 'city', parent_org_id: null },
      ]);
      const tenants = await db.selectFrom('organisations').select('tenant_id').execute();
      expect(tenants.map((r: { tenant_id: string }) => r.tenant_id)).toEqual([root, root, root]);
      const parents = await db.selectFrom('organisations').select('parent_id').execute();
      expect(parents.every((r: { parent_id: string | null }) => r.parent_id === null)).toBe(true);
      expect((await db.selectFrom('plans').select('owner_org_id').executeTakeFirstOrThrow()).owner_org_id).toBe(root);
    } finally {
      await handle.close();
    }
  });
});
