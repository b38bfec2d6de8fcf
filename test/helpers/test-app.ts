/**
 * The real app on a fresh, migrated database with a minimal seed, and clients that sign in.
 *
 * ```ts
 * describeEachDialect('x', (ctx) => {
 *   const t = useTestApp(ctx);                   // beforeAll: createTestApp(ctx.url()); afterAll: close
 *   it('…', async () => {
 *     const admin = await t().login('admin');     // cookie + CSRF header sent automatically
 *     const res = await admin.post('/api/organisations', { name: '新单位', kind: 'department' });
 *     expect(res.statusCode).toBe(201);
 *     await t().anonymous.get('/api/plans');      // no cookie
 *     t().orgs.county.id; t().users.unit.user.id; t().db (Kysely)
 *   });
 * });
 * ```
 *
 * Seed (created through the real services, so audited): organisations office 市百城办,
 * leadership 市政府, leadDept 市住房和城乡建设局 (alias 市住建局), county 淇县, county2 浚县,
 * group 两县 (members county, county2); users admin (office), lead (leadDept), unit (county),
 * leader (leadership), all with password TEST_PASSWORD.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import type { UserRole } from '../../src/shared/enums.ts';
import type { Organisation } from '../../src/shared/schemas/organisation.schema.ts';
import type { User } from '../../src/shared/schemas/user.schema.ts';
import { buildApp } from '../../src/server/app.ts';
import { type Config, loadConfig } from '../../src/server/config.ts';
import { type Db, type DbHandle, type Dialect, migrateToLatest, openDatabase } from '../../src/server/db/database.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/server/modules/auth/auth.plugin.ts';
import { createOrganisation } from '../../src/server/modules/organisations/organisations.service.ts';
import { createUser } from '../../src/server/modules/users/users.service.ts';
import type { DialectContext } from './dialects.ts';

export const TEST_PASSWORD = 'test-password-1';
export const ROLES: readonly UserRole[] = ['admin', 'lead', 'unit', 'leader'];

export type RequestOptions = Omit<InjectOptions, 'method' | 'url' | 'payload' | 'body'> & {
  method?: InjectOptions['method'];
  url: string;
  payload?: unknown;
  /** false: do not send the CSRF header (to test the check). Default: sent on state-changing methods. */
  csrf?: boolean;
};

export interface TestClient {
  role: UserRole | 'anonymous';
  /** Session cookie value; undefined for anonymous. */
  token?: string;
  csrfToken?: string;
  request(opts: RequestOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
}

export interface TestOrgs {
  office: Organisation;
  leadership: Organisation;
  leadDept: Organisation;
  county: Organisation;
  county2: Organisation;
  group: Organisation;
}

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  dialect: Dialect;
  config: Config;
  handle: DbHandle;
  orgs: TestOrgs;
  users: Record<UserRole, { user: User; username: string; password: string }>;
  anonymous: TestClient;
  /** Signs in as the seeded user of `role` (or any username/password) through POST /api/auth/login. */
  login(role: UserRole): Promise<TestClient>;
  loginAs(username: string, password: string, role?: UserRole): Promise<TestClient>;
  /** A client for a raw token (e.g. from a login response you made yourself). */
  client(token?: string, csrfToken?: string, role?: UserRole | 'anonymous'): TestClient;
  close(): Promise<void>;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A client on `app` for a session token (cookie) and CSRF token; for apps built outside createTestApp. */
export function makeClient(app: FastifyInstance, role: UserRole | 'anonymous', token?: string, csrfToken?: string): TestClient {
  const request = (opts: RequestOptions) => {
    const { csrf, payload, headers, method = 'GET', ...rest } = opts;
    const h: Record<string, string> = { ...(headers as Record<string, string>) };
    if (token) h.cookie = [h.cookie, `${SESSION_COOKIE}=${token}`].filter(Boolean).join('; ');
    if (csrfToken && csrf !== false && STATE_CHANGING.has(String(method).toUpperCase())) h[CSRF_HEADER] = csrfToken;
    const body =
      payload === undefined ? {} : typeof payload === 'string' || Buffer.isBuffer(payload) ? { payload } : { payload: payload as object };
    return app.inject({ ...rest, method, headers: h, ...body } as InjectOptions);
  };
  return {
    role,
    token,
    csrfToken,
    request,
    get: (url) => request({ method: 'GET', url }),
    post: (url, payload) => request({ method: 'POST', url, payload }),
    patch: (url, payload) => request({ method: 'PATCH', url, payload }),
    put: (url, payload) => request({ method: 'PUT', url, payload }),
    delete: (url) => request({ method: 'DELETE', url }),
  };
}

/** Builds the app on `dbUrl` (migrated), seeds it and returns the handles. Close it when done. */
export async function createTestApp(dbUrl: string, overrides: Partial<Config> = {}): Promise<TestApp> {
  const config: Config = {
    ...loadConfig({}),
    databaseUrl: dbUrl,
    logLevel: 'silent',
    // Many suites sign in repeatedly from one address; the limit has its own test.
    loginRateLimitPerMinute: 10_000,
    webDir: '/nonexistent/luoshi-web',
    ...overrides,
  };
  const handle = openDatabase(dbUrl);
  await migrateToLatest(handle.db);
  // LUOSHI_TEST_LOG=error (or debug…) shows the server log while debugging a test.
  const logLevel = process.env.LUOSHI_TEST_LOG;
  const { app } = await buildApp(config, { handle, logger: logLevel ? { level: logLevel } : false });
  await app.ready();
  const db = handle.db;

  const org = (name: string, kind: Organisation['kind'], extra: Partial<Parameters<typeof createOrganisation>[2]> = {}) =>
    createOrganisation(db, null, { name, kind, aliases: [], adminCode: null, parentId: null, memberIds: [], ...extra });
  const office = await org('市百城办', 'office');
  const leadership = await org('市政府', 'office');
  const leadDept = await org('市住房和城乡建设局', 'department', { aliases: ['市住建局'] });
  const county = await org('淇县', 'jurisdiction', { adminCode: '410622' });
  const county2 = await org('浚县', 'jurisdiction', { adminCode: '410621' });
  const group = await org('两县', 'group', { memberIds: [county.id, county2.id] });
  const orgs: TestOrgs = { office, leadership, leadDept, county, county2, group };

  const orgOfRole: Record<UserRole, Organisation> = { admin: office, lead: leadDept, unit: county, leader: leadership };
  const users = {} as TestApp['users'];
  for (const role of ROLES) {
    const user = await createUser(db, null, {
      username: role,
      displayName: `测试${role}`,
      orgId: orgOfRole[role].id,
      role,
      password: TEST_PASSWORD,
    });
    users[role] = { user, username: role, password: TEST_PASSWORD };
  }

  const loginAs = async (username: string, password: string, role?: UserRole): Promise<TestClient> => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    if (res.statusCode !== 200) throw new Error(`login as ${username} failed: ${res.statusCode} ${res.body}`);
    const token = res.cookies.find((c) => c.name === SESSION_COOKIE)?.value;
    const body = res.json() as { csrfToken: string; user: { role: UserRole } };
    return makeClient(app, role ?? body.user.role, token, body.csrfToken);
  };

  return {
    app,
    db,
    dialect: handle.dialect,
    config,
    handle,
    orgs,
    users,
    anonymous: makeClient(app, 'anonymous'),
    login: (role) => loginAs(users[role].username, users[role].password, role),
    loginAs,
    client: (token, csrfToken, role = 'anonymous') => makeClient(app, role, token, csrfToken),
    close: async () => {
      await app.close();
      await handle.close();
    },
  };
}

/** beforeAll/afterAll wiring for a describeEachDialect suite; call the returned getter inside tests. */
export function useTestApp(ctx: DialectContext, overrides: Partial<Config> = {}): () => TestApp {
  let t: TestApp | undefined;
  beforeAll(async () => {
    t = await createTestApp(ctx.url(), overrides);
  });
  afterAll(async () => {
    await t?.close();
  });
  return () => {
    if (!t) throw new Error('test app not ready: call the getter inside a test or hook');
    return t;
  };
}
