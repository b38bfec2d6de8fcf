import { existsSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeEachDialect } from './helpers/dialects.ts';
import { makeOrg, makeUser } from './helpers/factories.ts';
import { useTestApp } from './helpers/test-app.ts';

const SAMPLE_REGISTRY = new URL('../samples/hebi-orgs.json', import.meta.url);

describeEachDialect('organisations', (ctx) => {
  const t = useTestApp(ctx);

  it('creates, reads, lists (by name, alias, kind), updates and deletes', async () => {
    const admin = await t().login('admin');
    const created = await admin.post('/api/organisations', {
      name: '市城市管理局',
      aliases: ['市城管局', '市城管局', '市城市管理局'],
      kind: 'department',
      parentId: t().orgs.leadership.id,
    });
    expect(created.statusCode).toBe(201);
    const org = created.json();
    expect(org).toMatchObject({ name: '市城市管理局', aliases: ['市城管局'], kind: 'department', version: 1, memberIds: [] });
    expect(org.parentId).toBe(t().orgs.leadership.id);

    const reader = await t().login('leader');
    expect((await reader.get(`/api/organisations/${org.id}`)).json()).toEqual(org);
    const byAlias = (await reader.get(`/api/organisations?q=${encodeURIComponent('城管')}`)).json();
    expect(byAlias.items.map((o: { id: string }) => o.id)).toEqual([org.id]);
    expect(byAlias.total).toBe(1);
    const groups = (await reader.get('/api/organisations?kind=group')).json();
    // Other cases of this file add groups of their own: the filter lists exactly the groups there are.
    const groupRows = await t().db.selectFrom('organisations').select('name').where('kind', '=', 'group').execute();
    expect(groups.items.map((o: { name: string }) => o.name).sort()).toEqual(groupRows.map((g) => g.name).sort());
    expect(groups.items.map((o: { name: string }) => o.name)).toContain('两县');
    const seededGroup = groups.items.find((o: { name: string }) => o.name === '两县');
    expect(seededGroup.memberIds.sort()).toEqual([t().orgs.county.id, t().orgs.county2.id].sort());
    // LIKE wildcards in q are literal.
    expect((await reader.get('/api/organisations?q=%25')).json().total).toBe(0);

    const patched = await admin.patch(`/api/organisations/${org.id}`, { version: 1, adminCode: '410600', aliases: ['城管局'] });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ version: 2, adminCode: '410600', aliases: ['城管局'], name: '市城市管理局' });

    const del = await admin.delete(`/api/organisations/${org.id}?version=2`);
    expect(del.statusCode).toBe(200);
    expect(del.json()).toEqual({ ok: true });
    expect((await reader.get(`/api/organisations/${org.id}`)).statusCode).toBe(404);
  });

  it('PATCH changes only the fields sent (omitted ones keep their values)', async () => {
    const admin = await t().login('admin');
    const org = (
      await admin.post('/api/organisations', {
        name: '部分更新',
        aliases: ['部更'],
        kind: 'group',
        adminCode: '410601',
        parentId: t().orgs.leadership.id,
        memberIds: [t().orgs.county.id],
      })
    ).json();
    const res = await admin.patch(`/api/organisations/${org.id}`, { version: 1, name: '部分更新2' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      name: '部分更新2',
      aliases: ['部更'],
      adminCode: '410601',
      parentId: t().orgs.leadership.id,
      memberIds: [t().orgs.county.id],
      version: 2,
    });
  });

  it('409 with the current row on a stale version', async () => {
    const admin = await t().login('admin');
    const org = (await admin.post('/api/organisations', { name: '版本测试', kind: 'office' })).json();
    expect((await admin.patch(`/api/organisations/${org.id}`, { version: 1, aliases: ['v2'] })).statusCode).toBe(200);
    const stale = await admin.patch(`/api/organisations/${org.id}`, { version: 1, aliases: ['v3'] });
    expect(stale.statusCode).toBe(409);
    expect(stale.headers['content-type']).toMatch(/problem\+json/);
    expect(stale.json().code).toBe('version_conflict');
    expect(stale.json().current).toMatchObject({ id: org.id, version: 2, aliases: ['v2'] });
    const staleDelete = await admin.delete(`/api/organisations/${org.id}?version=1`);
    expect(staleDelete.statusCode).toBe(409);
    expect(staleDelete.json().current.version).toBe(2);
  });

  it('concurrent PATCHes with the same version: exactly one wins', async () => {
    const admin = await t().login('admin');
    const org = (await admin.post('/api/organisations', { name: '并发测试', kind: 'office' })).json();
    for (let round = 0; round < 3; round++) {
      const version = round + 1;
      const results = await Promise.all([
        admin.patch(`/api/organisations/${org.id}`, { version, aliases: [`a${round}`] }),
        admin.patch(`/api/organisations/${org.id}`, { version, aliases: [`b${round}`] }),
      ]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    }
    const final = (await admin.get(`/api/organisations/${org.id}`)).json();
    expect(final.version).toBe(4);
  });

  it('refuses to delete an organisation in use (409) and to create a duplicate name (409)', async () => {
    const admin = await t().login('admin');
    // As it is now (the registry import case updates 淇县's aliases, and with them its version).
    const county = (await admin.get(`/api/organisations/${t().orgs.county.id}`)).json();
    const inUse = await admin.delete(`/api/organisations/${county.id}?version=${county.version}`);
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json().code).toBe('conflict');
    expect(inUse.json().detail).toMatch(/in use/);
    const dup = await admin.post('/api/organisations', { name: '淇县', kind: 'jurisdiction' });
    expect(dup.statusCode).toBe(409);
    const parent = (await admin.post('/api/organisations', { name: '上级单位', kind: 'office' })).json();
    await admin.post('/api/organisations', { name: '下级单位', kind: 'office', parentId: parent.id });
    expect((await admin.delete(`/api/organisations/${parent.id}?version=1`)).statusCode).toBe(409);
  });

  it("refuses to delete an organisation whose only reference is an account, counting it (users' check, passed in)", async () => {
    const admin = await t().login('admin');
    const org = await makeOrg(t(), { kind: 'office' });
    await makeUser(t(), { orgId: org.id, role: 'unit' });
    const inUse = await admin.delete(`/api/organisations/${org.id}?version=${org.version}`);
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json().code).toBe('conflict');
    expect(inUse.json().detail).toMatch(/in use \(1 users\)/);
    const empty = await makeOrg(t(), { kind: 'office' });
    expect((await admin.delete(`/api/organisations/${empty.id}?version=${empty.version}`)).statusCode).toBe(200);
    expect((await admin.get(`/api/organisations/${empty.id}`)).statusCode).toBe(404);
  });

  it('validates links: members only on groups, known ids, no parent cycles', async () => {
    const admin = await t().login('admin');
    const notGroup = await admin.post('/api/organisations', { name: '非组', kind: 'office', memberIds: [t().orgs.county.id] });
    expect(notGroup.statusCode).toBe(400);
    expect(notGroup.json().errors[0].path).toBe('memberIds');
    const unknown = await admin.post('/api/organisations', {
      name: '未知成员',
      kind: 'group',
      memberIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(unknown.statusCode).toBe(400);
    const a = (await admin.post('/api/organisations', { name: '环A', kind: 'office' })).json();
    const b = (await admin.post('/api/organisations', { name: '环B', kind: 'office', parentId: a.id })).json();
    const cycle = await admin.patch(`/api/organisations/${a.id}`, { version: 1, parentId: b.id });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json().errors[0].path).toBe('parentId');
    // A group of this case's own (the seeded 两县 stays as it is for the other cases).
    const group = await makeOrg(t(), { kind: 'group', memberIds: [t().orgs.county.id, t().orgs.county2.id] });
    const members = await admin.patch(`/api/organisations/${group.id}`, { version: group.version, memberIds: [t().orgs.county.id] });
    expect(members.statusCode).toBe(200);
    expect(members.json().memberIds).toEqual([t().orgs.county.id]);
  });

  it('exports the registry and re-imports it unchanged (round trip)', async () => {
    const admin = await t().login('admin');
    const first = await admin.get('/api/organisations/registry');
    expect(first.statusCode).toBe(200);
    const file = first.json();
    const group = file.organisations.find((o: { name: string }) => o.name === '两县');
    expect(group.kind).toBe('group');
    expect(Array.isArray(group.members)).toBe(true);
    const res = await admin.post('/api/organisations/registry', file);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ created: 0, updated: 0 });
    const second = (await admin.get('/api/organisations/registry')).json();
    expect(second).toEqual(file);
  });

  it('imports a slug registry: matches by name, maps slugs to ids for parents and members', async () => {
    const admin = await t().login('admin');
    const file = {
      organisations: [
        { id: 'grp-new', name: '新区组', aliases: [], kind: 'group', members: ['new-a', 'qx'] },
        { id: 'new-a', name: '新区A', aliases: ['A区'], kind: 'jurisdiction', parentId: 'city', adminCode: '410699' },
        { id: 'city', name: '鹤壁市', aliases: [], kind: 'jurisdiction' },
        { id: 'qx', name: '淇县', aliases: ['淇县人民政府'], kind: 'jurisdiction', adminCode: '410622' },
      ],
    };
    const res = await admin.post('/api/organisations/registry', file);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ created: 3, updated: 1 });
    const list = (await admin.get('/api/organisations')).json().items as Array<{
      id: string;
      name: string;
      parentId: string | null;
      memberIds: string[];
      aliases: string[];
    }>;
    const byName = new Map(list.map((o) => [o.name, o]));
    expect(byName.get('新区A')!.parentId).toBe(byName.get('鹤壁市')!.id);
    expect(byName.get('新区组')!.memberIds.sort()).toEqual([byName.get('新区A')!.id, t().orgs.county.id].sort());
    expect(byName.get('淇县')!.id).toBe(t().orgs.county.id);
    expect(byName.get('淇县')!.aliases).toEqual(['淇县人民政府']);
    expect((await admin.post('/api/organisations/registry', file)).json()).toEqual({ created: 0, updated: 0 });

    const bad = await admin.post('/api/organisations/registry', {
      organisations: [{ id: 'x', name: '坏引用', aliases: [], kind: 'office', parentId: 'missing' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('organisations.0.parentId');
    // Nothing of a failed import is kept.
    expect((await admin.get(`/api/organisations?q=${encodeURIComponent('坏引用')}`)).json().total).toBe(0);
  });

  it.runIf(existsSync(SAMPLE_REGISTRY))('imports the shipped Hebi registry and round-trips it', async () => {
    const admin = await t().login('admin');
    const sample = JSON.parse(readFileSync(SAMPLE_REGISTRY, 'utf8'));
    const res = await admin.post('/api/organisations/registry', sample);
    expect(res.statusCode).toBe(200);
    expect(res.json().created + res.json().updated).toBe(sample.organisations.length);
    const exported = (await admin.get('/api/organisations/registry')).json();
    const names = new Set(exported.organisations.map((o: { name: string }) => o.name));
    for (const o of sample.organisations) expect(names.has(o.name)).toBe(true);
    const nameOf = new Map(exported.organisations.map((o: { id: string; name: string }) => [o.id, o.name]));
    const sampleName = new Map(sample.organisations.map((o: { id: string; name: string }) => [o.id, o.name]));
    for (const o of sample.organisations) {
      const e = exported.organisations.find((x: { name: string }) => x.name === o.name);
      expect(e.kind).toBe(o.kind);
      if (o.parentId) expect(nameOf.get(e.parentId)).toBe(sampleName.get(o.parentId));
      if (o.members)
        expect(e.members.map((m: string) => nameOf.get(m)).sort()).toEqual(o.members.map((m: string) => sampleName.get(m)).sort());
    }
    expect((await admin.post('/api/organisations/registry', exported)).json()).toEqual({ created: 0, updated: 0 });
  });

  it('every organisation write is in the audit log', async () => {
    // One write of each kind, made here.
    const admin = await t().login('admin');
    const org = (await admin.post('/api/organisations', { name: '审计测试单位', kind: 'office' })).json();
    expect((await admin.patch(`/api/organisations/${org.id}`, { version: 1, aliases: ['审计'] })).statusCode).toBe(200);
    expect((await admin.delete(`/api/organisations/${org.id}?version=2`)).statusCode).toBe(200);
    const imported = await admin.post('/api/organisations/registry', {
      organisations: [{ id: 'audit-x', name: '审计导入单位', aliases: [], kind: 'office' }],
    });
    expect(imported.statusCode, imported.body).toBe(200);
    const rows = await t()
      .db.selectFrom('audit_events')
      .select(['action', 'entity_type'])
      .where('entity_type', '=', 'organisation')
      .execute();
    const actions = new Set(rows.map((r) => r.action));
    for (const a of ['organisation.create', 'organisation.update', 'organisation.delete', 'organisation.import'])
      expect(actions.has(a)).toBe(true);
    const verify = await admin.get('/api/audit/verify');
    expect(verify.json()).toMatchObject({ ok: true, firstBrokenId: null });
  });
});
