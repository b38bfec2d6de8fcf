import { expect, it } from 'vitest';
import { buildApp } from '../src/server/app.ts';
import { SESSION_COOKIE } from '../src/server/http/auth.plugin.ts';
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

  it('locks an account for 15 minutes after 5 failures, even for the right password', async () => {
    const u = await newUser('lockme');
    for (let i = 0; i < 5; i++) {
      const r = await t().anonymous.post('/api/auth/login', { username: u.username, password: 'wrong-password' });
      expect(r.statusCode).toBe(401);
    }
    const locked = await t().anonymous.post('/api/auth/login', { username: u.username, password: u.password });
    expect(locked.statusCode).toBe(423);
    expect(locked.json().code).toBe('locked');
    const row = await t().db.selectFrom('users').select('locked_until').where('id', '=', u.id).executeTakeFirstOrThrow();
    const minutes = (Date.parse(row.locked_until!) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);
    // Time passes: the lock expires and the right password works again.
    await t().db.updateTable('users').set({ locked_until: new Date(Date.now() - 1000).toISOString() }).where('id', '=', u.id).execute();
    const ok = await t().anonymous.post('/api/auth/login', { username: u.username, password: u.password });
    expect(ok.statusCode).toBe(200);
  });

  it('a success resets the failure count', async () => {
    const u = await newUser('resetme');
    for (let i = 0; i < 4; i++) await t().anonymous.post('/api/auth/login', { username: u.username, password: 'wrong-password' });
    expect((await t().anonymous.post('/api/auth/login', { username: u.username, password: u.password })).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) await t().anonymous.post('/api/auth/login', { username: u.username, password: 'wrong-password' });
    expect((await t().anonymous.post('/api/auth/login', { username: u.username, password: u.password })).statusCode).toBe(200);
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
    await t().db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', id).execute();
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
    expect(await t().db.selectFrom('sessions').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined();
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
    const res = await c.request({ method: 'POST', url: '/api/auth/login', payload: { username: 'unit', password: TEST_PASSWORD }, csrf: false });
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
