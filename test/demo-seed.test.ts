import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Task } from '../src/shared/schemas/plan.schema.ts';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { type DbHandle, migrateToLatest, openDatabase } from '../src/server/db/database.ts';
import { DEMO_ACCOUNTS, seedDemoIfEmpty } from '../src/server/demo/demo-seed.ts';
import { verifyAuditChain } from '../src/server/modules/audit/audit.service.ts';
import { describeEachDialect } from './helpers/dialects.ts';

const quiet = { info: () => {}, warn: () => {} };

describeEachDialect('demo seed', (ctx) => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = openDatabase(ctx.url());
    await migrateToLatest(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('loads the Hebi registry, plan and demo accounts into an empty database, once', async () => {
    const messages: string[] = [];
    const log = { info: (m: string) => messages.push(m), warn: (m: string) => messages.push(m) };
    const result = await seedDemoIfEmpty(handle.db, { demo: true, adminPassword: undefined, today: '2018-06-20' }, log);
    expect(result).toMatchObject({ kind: 'demo', taskCount: 27 });
    if (result.kind !== 'demo') throw new Error('no demo');
    // A monthly schedule and exactly the period containing "today" open: no back-filled months.
    const periods = await handle.db.selectFrom('reporting_periods').select(['id', 'label', 'status', 'due_date']).execute();
    expect(periods).toEqual([{ id: result.openedPeriods[0], label: '2018年6月', status: 'open', due_date: '2018-07-05' }]);
    expect(messages.join('\n')).toContain('luoshi-qixian-2018');
    expect((await seedDemoIfEmpty(handle.db, { demo: true, adminPassword: undefined, today: '2018-07-20' }, quiet)).kind).toBe('skipped');
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true });

    const config = { ...loadConfig({}), databaseUrl: ctx.url(), logLevel: 'silent' as const, webDir: '/nonexistent' };
    const { app } = await buildApp(config, { handle, logger: false });
    try {
      await app.ready();
      for (const account of DEMO_ACCOUNTS) {
        const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: account.username, password: account.password } });
        expect(res.statusCode, account.username).toBe(200);
        expect(res.json().org.name).toBe(account.orgName);
      }
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'qixian', password: 'luoshi-qixian-2018' } });
      const cookie = `luoshi_session=${login.cookies.find((c) => c.name === 'luoshi_session')!.value}`;
      const orgId = login.json().org.id as string;
      const plans = (await app.inject({ method: 'GET', url: '/api/plans', headers: { cookie } })).json();
      const planId = plans.items[0].id as string;
      const mine = await app.inject({ method: 'GET', url: `/api/plans/${planId}/tasks?orgId=${orgId}&limit=500`, headers: { cookie } });
      // 各县区政府 and 有关县区政府 include 淇县政府: nearly every task is the county's.
      expect(mine.json().total).toBeGreaterThan(20);
      const tasks = (await app.inject({ method: 'GET', url: `/api/plans/${planId}/tasks?limit=500`, headers: { cookie } })).json()
        .items as Task[];
      const roads = tasks[2].targets.find((x) => x.value === 70)!;
      expect(roads).toMatchObject({ jurisdictionLabel: '淇县', jurisdictionOrgId: orgId, jurisdictionName: '淇县政府' });
      const pipes = tasks[5].targets;
      expect(pipes.filter((x) => x.parentTargetId === pipes[0].id)).toHaveLength(3);
      expect(pipes[1].jurisdictionName).toBe('淇滨区政府');
    } finally {
      await app.close();
    }
  });
});

it('without the demo, creates the first admin with a generated password printed once', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-seed-'));
  const handle = openDatabase(path.join(dir, 'x.db'));
  try {
    await migrateToLatest(handle.db);
    const messages: string[] = [];
    const log = { info: (m: string) => messages.push(m), warn: (m: string) => messages.push(m) };
    const result = await seedDemoIfEmpty(handle.db, { demo: false, adminPassword: undefined, today: undefined }, log);
    expect(result).toEqual({ kind: 'bootstrap-admin', username: 'admin' });
    expect(messages.join('\n')).toMatch(/generated password \S{12,}/);
    const users = await handle.db.selectFrom('users').select(['username', 'role']).execute();
    expect(users).toEqual([{ username: 'admin', role: 'admin' }]);
  } finally {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
