/**
 * The app on a fresh database holding the demo (src/server/demo/demo-seed.ts): the Hebi registry
 * (43 organisations, groups 各县区政府…), the Hebi 2018 plan imported through the real services, and
 * the demo accounts admin / zhujian (lead, 市住建局) / qixian (unit, 淇县政府) / leader, and the
 * demo's monthly reporting schedule with the period containing `today` open (2018年6月 by default).
 * `today` also becomes the app's LUOSHI_TODAY when given, for lateness and statuses.
 *
 * ```ts
 * describeEachDialect('ledger', (ctx) => {
 *   const d = useDemoApp(ctx);
 *   it('…', async () => { const qixian = await d().login('qixian'); await qixian.get('/api/ledger'); });
 * });
 * ```
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/config.ts';
import { type Db, type DbHandle, migrateToLatest, openDatabase } from '../../src/server/db/database.ts';
import { DEMO_ACCOUNTS, seedDemo } from '../../src/server/demo/demo-seed.ts';
import { SESSION_COOKIE } from '../../src/server/modules/auth/auth.plugin.ts';
import type { DialectContext } from './dialects.ts';
import { makeClient, type TestClient } from './test-app.ts';

export type DemoUser = 'admin' | 'zhujian' | 'qixian' | 'leader';

export interface DemoApp {
  app: FastifyInstance;
  db: Db;
  planId: string;
  /** Organisation id by name. */
  org(name: string): string;
  login(username: DemoUser): Promise<TestClient>;
}

const quiet = { info: () => {}, warn: () => {} };

/**
 * `history`: seed the demo's record (closed months, reports, 督办) as `npm start` does; off by
 * default, so a test starts from the demo's registry, plan and accounts with only today's period open.
 */
export function useDemoApp(ctx: DialectContext, options: { today?: string; history?: boolean } = {}): () => DemoApp {
  let handle: DbHandle | undefined;
  let demo: DemoApp | undefined;
  beforeAll(async () => {
    handle = openDatabase(ctx.url());
    await migrateToLatest(handle.db);
    const seeded = await seedDemo(handle.db, quiet, { today: options.today ?? '2018-06-20', history: options.history === true });
    if (seeded.kind !== 'demo' || !seeded.planId) throw new Error(`demo seed failed: ${JSON.stringify(seeded)}`);
    const config = {
      ...loadConfig({}),
      databaseUrl: ctx.url(),
      logLevel: 'silent' as const,
      webDir: '/nonexistent',
      loginRateLimitPerMinute: 10_000,
      today: options.today,
    };
    const { app } = await buildApp(config, { handle, logger: false });
    await app.ready();
    // Names are unique per city (issue 12), and the demo's second city has its own 市住房和城乡建设局:
    // a name means the Hebi plan's city's organisation first, any other city's only when Hebi has none.
    const owner = await handle.db
      .selectFrom('plans')
      .select('owner_org_id')
      .where('id', '=', seeded.planId ?? '')
      .executeTakeFirst();
    const all = await handle.db.selectFrom('organisations').select(['id', 'name', 'tenant_id']).execute();
    const orgs = new Map<string, string>();
    for (const o of all) if (!orgs.has(o.name) || o.tenant_id === owner?.owner_org_id) orgs.set(o.name, o.id);
    demo = {
      app,
      db: handle.db,
      planId: seeded.planId,
      org: (name) => {
        const id = orgs.get(name);
        if (!id) throw new Error(`no organisation ${name}`);
        return id;
      },
      login: async (username) => {
        const account = DEMO_ACCOUNTS.find((a) => a.username === username)!;
        const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: account.password } });
        if (res.statusCode !== 200) throw new Error(`login as ${username} failed: ${res.statusCode} ${res.body}`);
        const token = res.cookies.find((c) => c.name === SESSION_COOKIE)?.value;
        return makeClient(app, account.role, token, (res.json() as { csrfToken: string }).csrfToken);
      },
    };
  });
  afterAll(async () => {
    await demo?.app.close();
    await handle?.close();
  });
  return () => {
    if (!demo) throw new Error('demo app not ready: call the getter inside a test or hook');
    return demo;
  };
}
