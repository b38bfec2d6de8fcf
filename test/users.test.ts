import { expect, it } from 'vitest';
import { describeEachDialect } from './helpers/dialects.ts';
import { TEST_PASSWORD, useTestApp } from './helpers/test-app.ts';

describeEachDialect('users', (ctx) => {
  const t = useTestApp(ctx);

  it('lists accounts without any password material', async () => {
    const admin = await t().login('admin');
    const res = await admin.get('/api/users');
    expect(res.statusCode).toBe(200);
    // Other cases of this file add accounts: the list holds every account there is, by username.
    const all = (await t().db.selectFrom('users').select('username').execute()).map((u) => u.username).sort();
    expect(all).toEqual(expect.arrayContaining(['admin', 'lead', 'leader', 'unit']));
    expect(res.json().total).toBe(all.length);
    expect(res.json().items.map((u: { username: string }) => u.username)).toEqual(all);
    expect(res.body).not.toMatch(/password|argon2|hash/i);
  });

  it('creates an account with an argon2id hash; 409 on a taken username; 400 on an unknown org', async () => {
    const admin = await t().login('admin');
    const body = { username: 'qixian.op', displayName: '淇县操作员', orgId: t().orgs.county.id, role: 'unit', password: 'qixian-pass-1' };
    const res = await admin.post('/api/users', body);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ username: 'qixian.op', role: 'unit', isActive: true, version: 1 });
    expect(res.body).not.toMatch(/password|argon2/i);
    const row = await t().db.selectFrom('users').select('password_hash').where('username', '=', 'qixian.op').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect((await admin.post('/api/users', body)).statusCode).toBe(409);
    const badOrg = await admin.post('/api/users', { ...body, username: 'other', orgId: '00000000-0000-4000-8000-000000000000' });
    expect(badOrg.statusCode).toBe(400);
    expect(badOrg.json().errors[0].path).toBe('orgId');
    const audit = await t().db.selectFrom('audit_events').select(['after_json']).where('entity_type', '=', 'user').execute();
    for (const a of audit) expect(a.after_json ?? '').not.toMatch(/argon2|password/i);
  });

  it('updates with version checks; concurrent PATCHes: one 200, one 409 with current', async () => {
    const admin = await t().login('admin');
    const u = (
      await admin.post('/api/users', {
        username: 'editme',
        displayName: '甲',
        orgId: t().orgs.county.id,
        role: 'unit',
        password: 'edit-pass-01',
      })
    ).json();
    const [a, b] = await Promise.all([
      admin.patch(`/api/users/${u.id}`, { version: 1, displayName: '乙' }),
      admin.patch(`/api/users/${u.id}`, { version: 1, displayName: '丙' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json().code).toBe('version_conflict');
    expect(loser.json().current).toMatchObject({ id: u.id, version: 2 });
    expect(loser.body).not.toMatch(/argon2|password/i);
    const moved = await admin.patch(`/api/users/${u.id}`, { version: 2, orgId: t().orgs.leadDept.id, role: 'lead' });
    expect(moved.json()).toMatchObject({ version: 3, orgId: t().orgs.leadDept.id, role: 'lead' });
    expect((await admin.patch(`/api/users/00000000-0000-4000-8000-000000000000`, { version: 1 })).statusCode).toBe(404);
  });

  it('password reset and deactivation end the user’s sessions', async () => {
    const admin = await t().login('admin');
    const u = (
      await admin.post('/api/users', {
        username: 'resetee',
        displayName: '丁',
        orgId: t().orgs.county.id,
        role: 'unit',
        password: 'first-pass-01',
      })
    ).json();
    const session = await t().loginAs('resetee', 'first-pass-01');
    const reset = await admin.patch(`/api/users/${u.id}`, { version: 1, password: 'second-pass-02' });
    expect(reset.statusCode).toBe(200);
    expect((await session.get('/api/auth/me')).statusCode).toBe(401);
    const again = await t().loginAs('resetee', 'second-pass-02');
    expect((await admin.patch(`/api/users/${u.id}`, { version: 2, isActive: false })).json().isActive).toBe(false);
    expect((await again.get('/api/auth/me')).statusCode).toBe(401);
    expect((await t().anonymous.post('/api/auth/login', { username: 'resetee', password: 'second-pass-02' })).statusCode).toBe(401);
  });

  it('an admin cannot deactivate or demote themselves', async () => {
    const admin = await t().login('admin');
    const me = t().users.admin.user;
    const current = (await admin.get('/api/auth/me')).json().user;
    const res = await admin.patch(`/api/users/${me.id}`, { version: current.version, isActive: false });
    expect(res.statusCode).toBe(409);
    expect((await t().anonymous.post('/api/auth/login', { username: 'admin', password: TEST_PASSWORD })).statusCode).toBe(200);
  });
});
