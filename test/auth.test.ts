import { expect, it } from 'vitest';
import { buildApp } from '../src/server/app.ts';
import { SESSION_COOKIE } from '../src/server/modules/auth/auth.plugin.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { TEST_PASSWORD, useTestApp } from './helpers/test-app.ts';

describeEachDialect('auth', (ctx) => {
  const t = useTestApp(ctx);

  async function newUser(username: string, password = 'initial-pass-1') {
    const admin = await t().login('admin');
    const res = await admin.post('/api/users', {
      username,
      displayName: username,
      orgId: t().orgs.county.id,
      role: 'unit',
      password,
    });
    expect(res.statusCode).toBe(201);
    return { id: res.json().id as string, username, password };
  }

  it('logs in: HttpOnly SameSite=Lax cookie, session body with CSRF token, no password hash', async () => {
    const res = await t().anonymous.post('/api/auth/login', { username: 'lead', password: TEST_PASSWORD });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.path).toBe('/');
    expect(cookie.secure).toBeFalsy();
    const body = res.json();
    expect(body.user.username).toBe('lead');
    expect(body.org).toEqual({ id: t().orgs.leadDept.id, name: t().orgs.leadDept.name });
    expect(typeof body.csrfToken).toBe('string');
    expect(res.body).not.toMatch(/argon2|password/i);
  });

  it('stores only sha256(token) as the session id', async () => {
    const c = await t().login('leader');
    const rows = await t().db.selectFrom('sessions').select('id').execute();
    expect(rows.map((r) => r.id)).not.toContain(c.token);
    const { createHash } = await import('node:crypto');
    expect(rows.map((r) => r.id)).toContain(createHash('sha256').update(c.token!).digest('hex'));
  });

  it('GET /auth/me returns the session and the same CSRF token; 401 when anonymous', async () => {
    const c = await t().login('unit');
    const me = await c.get('/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().csrfToken).toBe(c.csrfToken);
    expect(me.json().user.role).toBe('unit');
    const anon = await t().anonymous.get('/api/auth/me');
    expect(anon.statusCode).toBe(401);
    expect(anon.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(anon.json().code).toBe('unauthenticated');
  });

  it('GET /auth/session answers 200 for everyone: null when anonymous or signed out, the Session when signed in', async () => {
    const anon = await t().anonymous.get('/api/auth/session');
    expect(anon.statusCode).toBe(200);
    expect(anon.json()).toEqual({ session: null });
    const c = await t().login('lead');
    const mine = await c.get('/api/auth/session');
    expect(mine.statusCode).toBe(200);
    expect(mine.json().session.user.username).toBe('lead');
    expect(mine.json().session.csrfToken).toBe(c.csrfToken);
    expect(mine.body).not.toMatch(/argon2|password/i);
    expect((await c.post('/api/auth/logout')).statusCode).toBe(200);
    const after = await c.get('/api/auth/session');
    expect(after.statusCode).toBe(200);
    expect(after.json()).toEqual({ session: null });
    // A made-up cookie is nobody too, not an error.
    const forged = await t().client('x'.repeat(43)).get('/api/auth/session');
    expect(forged.statusCode).toBe(200);
    expect(forged.json()).toEqual({ session: null });
  });

  it('rejects a wrong password and an unknown user with the same 401', async () => {
    const wrong = await t().anonymous.post('/api/auth/login', { username: 'leader', password: 'not-the-password' });
    const unknown = await t().anonymous.post('/api/auth/login', { username: 'nobody', password: 'not-the-password' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(unknown.json().detail);
    expect(wrong.cookies.find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
  });

  /** A sign-in attempt from a given client address (fastify inject's remoteAddress is req.ip). */
  const attempt = (ip: string, username: string, password: string) =>
    t().anonymous.request({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });

  /** Time passes: the running wait of (ip, name) ends now. */
  const endWait = (ip: string, username: string) =>
    t()
      .db.updateTable('login_throttle')
      .set({ blocked_until: new Date(Date.now() - 1000).toISOString() })
      .where('address', '=', ip)
      .where('username', '=', username)
      .execute();

  /** The 429 answer without its number of seconds, to compare two answers' shape. */
  const shapeOf = (res: Awaited<ReturnType<typeof attempt>>) => ({
    status: res.statusCode,
    type: res.headers['content-type'],
    body: { ...res.json(), detail: String(res.json().detail).replace(/\d+/g, 'N'), retryAfter: typeof res.json().retryAfter },
  });

  it('throttles by address and account name: a real and an unknown name answer the same, 401 then 429 with Retry-After', async () => {
    const u = await newUser('throttled');
    const ip = '10.7.0.1';
    for (let i = 0; i < 5; i++) {
      const real = await attempt(ip, u.username, 'wrong-password');
      const unknown = await attempt(ip, 'no-such-account', 'wrong-password');
      expect([real.statusCode, unknown.statusCode]).toEqual([401, 401]);
      expect(real.body).toBe(unknown.body);
    }
    // Now each further attempt waits, the right password included, and nothing says which name exists.
    const real = await attempt(ip, u.username, u.password);
    const unknown = await attempt(ip, 'no-such-account', u.password);
    expect(real.statusCode).toBe(429);
    expect(shapeOf(real)).toEqual(shapeOf(unknown));
    expect(real.json().code).toBe('rate_limited');
    expect(real.headers['content-type']).toMatch(/problem\+json/);
    for (const res of [real, unknown]) {
      const seconds = Number(res.headers['retry-after']);
      expect(seconds).toBeGreaterThanOrEqual(1);
      expect(seconds).toBeLessThanOrEqual(2);
      expect(res.json().retryAfter).toBe(seconds);
      expect(res.json().detail).toContain(`${seconds} 秒`);
    }
    expect(Math.abs(Number(real.headers['retry-after']) - Number(unknown.headers['retry-after']))).toBeLessThanOrEqual(1);
    expect(real.cookies.find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
    // No per-account lock is left on the user: from elsewhere it signs in at once.
    expect((await attempt('10.7.0.2', u.username, u.password)).statusCode).toBe(200);
  });

  it('the wait grows 2, 4, 8 s with each further failure; it ends, and a success starts the count again', async () => {
    const u = await newUser('growing');
    const ip = '10.7.1.1';
    for (let i = 0; i < 5; i++) expect((await attempt(ip, u.username, 'wrong-password')).statusCode).toBe(401);
    const waits: number[] = [];
    for (let round = 0; round < 3; round++) {
      const blocked = await attempt(ip, u.username, u.password);
      expect(blocked.statusCode).toBe(429);
      waits.push(Number(blocked.headers['retry-after']));
      await endWait(ip, u.username);
      // One more failure after the wait: the next wait is twice as long.
      expect((await attempt(ip, u.username, 'wrong-password')).statusCode).toBe(401);
    }
    // Within a second of 2, 4, 8 (the clock moves between the failure and the question).
    expect(waits[0]).toBeGreaterThanOrEqual(1);
    expect(waits[0]).toBeLessThanOrEqual(2);
    expect(waits[1]).toBeGreaterThanOrEqual(3);
    expect(waits[1]).toBeLessThanOrEqual(4);
    expect(waits[2]).toBeGreaterThanOrEqual(7);
    expect(waits[2]).toBeLessThanOrEqual(8);
    const fourth = await attempt(ip, u.username, u.password);
    expect(fourth.statusCode).toBe(429);
    expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(8);

    await endWait(ip, u.username);
    expect((await attempt(ip, u.username, u.password)).statusCode).toBe(200);
    // The success forgot the failures: four more are free again, and the right password works.
    for (let i = 0; i < 4; i++) expect((await attempt(ip, u.username, 'wrong-password')).statusCode).toBe(401);
    expect((await attempt(ip, u.username, u.password)).statusCode).toBe(200);
  });

  it('a wrong-password storm on admin from one address does not keep the admin out from another', async () => {
    const attacker = '198.51.100.66';
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await attempt(attacker, 'admin', `guess-${i}`)).statusCode);
      // Now and then the wait runs out and the storm goes on.
      if (i % 3 === 2 && i < 11) await endWait(attacker, 'admin');
    }
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(5);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    // The attacker's address waits, even with the right password and however the name is typed…
    expect((await attempt(attacker, 'admin', TEST_PASSWORD)).statusCode).toBe(429);
    expect((await attempt(attacker, ' ADMIN', TEST_PASSWORD)).statusCode).toBe(429);
    // …the admin's own office does not.
    const office = await attempt('10.8.0.1', 'admin', TEST_PASSWORD);
    expect(office.statusCode).toBe(200);
    expect(office.json().user.username).toBe('admin');
  });

  it('a bureau behind one NAT address: everyday typos never delay it; 100 failures in 15 minutes do, for that address only', async () => {
    const nat = '203.0.113.10';
    // A morning in the bureau: each colleague mistypes a few times, then signs in.
    for (const role of ['lead', 'unit', 'leader', 'admin'] as const) {
      for (let i = 0; i < 4; i++) expect((await attempt(nat, role, 'typo-typo')).statusCode).toBe(401);
      expect((await attempt(nat, role, TEST_PASSWORD)).statusCode).toBe(200);
    }
    const row = await t()
      .db.selectFrom('login_throttle')
      .selectAll()
      .where('address', '=', nat)
      .where('username', '=', '')
      .executeTakeFirstOrThrow();
    expect(row.failures).toBe(16);
    expect(row.blocked_until).toBeNull();
    // The rest of a very bad quarter hour: 98 failures so far; the 99th and 100th go through.
    await t().db.updateTable('login_throttle').set({ failures: 98 }).where('address', '=', nat).where('username', '=', '').execute();
    expect((await attempt(nat, 'colleague-99', 'typo-typo')).statusCode).toBe(401);
    expect((await attempt(nat, 'colleague-100', 'typo-typo')).statusCode).toBe(401);
    // Now the address waits, whoever tries; another address does not.
    const waiting = await attempt(nat, 'leader', TEST_PASSWORD);
    expect(waiting.statusCode).toBe(429);
    expect(Number(waiting.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await attempt('203.0.113.11', 'leader', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('keeps the throttle in the database: another server instance on it makes the same address wait', async () => {
    const ip = '10.9.0.1';
    for (let i = 0; i < 5; i++) expect((await attempt(ip, 'restart-me', 'wrong-password')).statusCode).toBe(401);
    const { app } = await buildApp({ ...t().config }, { handle: t().handle, logger: false });
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'restart-me', password: 'x' },
        remoteAddress: ip,
      });
      expect(res.statusCode).toBe(429);
      expect(res.headers['retry-after']).toBeDefined();
    } finally {
      await app.close();
    }
  });

  it('TRUST_PROXY=1: the X-Forwarded-For client is the address the throttle counts', async () => {
    const { app } = await buildApp({ ...t().config, trustProxy: true }, { handle: t().handle, logger: false });
    try {
      const from = (client: string, password: string) =>
        app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'lead', password },
          remoteAddress: '10.0.0.2',
          headers: { 'x-forwarded-for': client },
        });
      for (let i = 0; i < 5; i++) expect((await from('192.0.2.50', 'wrong-password')).statusCode).toBe(401);
      expect((await from('192.0.2.50', TEST_PASSWORD)).statusCode).toBe(429);
      // Another client behind the same proxy is not held up.
      expect((await from('192.0.2.51', TEST_PASSWORD)).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('logout ends the session and clears the cookie', async () => {
    const c = await t().login('leader');
    const out = await c.post('/api/auth/logout');
    expect(out.statusCode).toBe(200);
    const cleared = out.cookies.find((k) => k.name === SESSION_COOKIE);
    expect(cleared?.value).toBe('');
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('an expired session is refused and deleted', async () => {
    const c = await t().login('lead');
    const { createHash } = await import('node:crypto');
    const id = createHash('sha256').update(c.token!).digest('hex');
    const row = await t().db.selectFrom('sessions').select('expires_at').where('id', '=', id).executeTakeFirstOrThrow();
    const hours = (Date.parse(row.expires_at) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
    await t()
      .db.updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', id)
      .execute();
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
    expect(await t().db.selectFrom('sessions').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined();
  });

  it('an expired session never looked up again is removed when its user next signs in; live sessions stay', async () => {
    const stale = await t().login('unit');
    const live = await t().login('unit');
    const { createHash } = await import('node:crypto');
    const idOf = (token: string) => createHash('sha256').update(token).digest('hex');
    await t()
      .db.updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', idOf(stale.token!))
      .execute();
    await t().login('unit');
    const ids = (await t().db.selectFrom('sessions').select('id').execute()).map((r) => r.id);
    expect(ids).not.toContain(idOf(stale.token!));
    expect(ids).toContain(idOf(live.token!));
    expect((await live.get('/api/auth/me')).statusCode).toBe(200);
  });

  it('CSRF: a state-changing request without or with a wrong x-csrf-token is 403 code csrf', async () => {
    const admin = await t().login('admin');
    const body = { name: 'CSRF测试单位', kind: 'department' };
    const missing = await admin.request({ method: 'POST', url: '/api/organisations', payload: body, csrf: false });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().code).toBe('csrf');
    const wrong = await admin.request({
      method: 'POST',
      url: '/api/organisations',
      payload: body,
      csrf: false,
      headers: { 'x-csrf-token': 'x'.repeat(43) },
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().code).toBe('csrf');
    // Another user's token does not work either.
    const other = await t().login('admin');
    const crossed = await admin.request({
      method: 'POST',
      url: '/api/organisations',
      payload: body,
      csrf: false,
      headers: { 'x-csrf-token': other.csrfToken! },
    });
    expect(crossed.statusCode).toBe(403);
    expect((await admin.post('/api/organisations', body)).statusCode).toBe(201);
    // Logout is state-changing too.
    expect((await admin.request({ method: 'POST', url: '/api/auth/logout', csrf: false })).statusCode).toBe(403);
  });

  it('login is exempt from CSRF and issues a fresh session even with an old cookie', async () => {
    const c = await t().login('unit');
    const res = await c.request({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'unit', password: TEST_PASSWORD },
      csrf: false,
    });
    expect(res.statusCode).toBe(200);
    const token = res.cookies.find((k) => k.name === SESSION_COOKIE)!.value;
    expect(token).not.toBe(c.token);
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('sends the security headers', async () => {
    const res = await t().anonymous.get('/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, dialect: ctx.dialect });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('COOKIE_SECURE=1 marks the cookie Secure and sends HSTS', async () => {
    const { app } = await buildApp({ ...t().config, cookieSecure: true }, { handle: t().handle, logger: false });
    try {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'leader', password: TEST_PASSWORD } });
      expect(res.statusCode).toBe(200);
      expect(res.cookies.find((c) => c.name === SESSION_COOKIE)?.secure).toBe(true);
      expect(res.headers['strict-transport-security']).toBeDefined();
    } finally {
      await app.close();
    }
  });

  it('rate-limits login per client (429 problem+json)', async () => {
    const { app } = await buildApp({ ...t().config, loginRateLimitPerMinute: 3 }, { handle: t().handle, logger: false });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'x' } });
        statuses.push(r.statusCode);
        if (r.statusCode === 429) {
          expect(r.json().code).toBe('rate_limited');
          expect(r.headers['content-type']).toMatch(/problem\+json/);
          expect(r.headers['retry-after']).toBeDefined();
        }
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await app.close();
    }
  });

  it('changes the own password: checks the current one, ends other sessions', async () => {
    const u = await newUser('changer', 'first-password-1');
    const a = await t().loginAs(u.username, u.password);
    const b = await t().loginAs(u.username, u.password);
    const bad = await a.post('/api/auth/password', { currentPassword: 'nope-nope-nope', newPassword: 'second-password-2' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('currentPassword');
    const weak = await a.post('/api/auth/password', { currentPassword: u.password, newPassword: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors[0].path).toBe('newPassword');
    const ok = await a.post('/api/auth/password', { currentPassword: u.password, newPassword: 'second-password-2' });
    expect(ok.statusCode).toBe(200);
    expect((await a.get('/api/auth/me')).statusCode).toBe(200);
    expect((await b.get('/api/auth/me')).statusCode).toBe(401);
    expect((await t().anonymous.post('/api/auth/login', { username: u.username, password: u.password })).statusCode).toBe(401);
    expect((await t().anonymous.post('/api/auth/login', { username: u.username, password: 'second-password-2' })).statusCode).toBe(200);
  });
});
