/**
 * Declaring tenants through the product (issue 12, step 2): a province office declares an
 * organisation of its own registry a city office under it (POST /api/tenants), and organisation
 * names are unique per tenant, so a second city has its own 市住房和城乡建设局.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileMigrationProvider, type Kysely, Migrator } from 'kysely';
import { expect, it } from 'vitest';
import { openDatabase } from '../src/server/db/database.ts';
import { declareTenant } from '../src/server/modules/organisations/organisations.service.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makeOrg, makeUser, unique } from './helpers/factories.ts';
import { type TestApp, useTestApp } from './helpers/test-app.ts';

async function makeProvinceWithCity(t: TestApp) {
  const province = await makeOrg(t, { name: `省办${unique()}`, kind: 'office' });
  await declareTenant(t.db, null, province.id, { level: 'province', parentOrgId: null });
  const provinceAdmin = await makeUser(t, { orgId: province.id, role: 'admin' });
  const city = await makeOrg(t, { name: `甲市办${unique()}`, kind: 'office' });
  await declareTenant(t.db, null, city.id, { level: 'city', parentOrgId: province.id });
  const cityAdmin = await makeUser(t, { orgId: city.id, role: 'admin' });
  return { province, provinceAdmin, city, cityAdmin };
}

describeEachDialect('tenants', (ctx) => {
  const t = useTestApp(ctx);

  it('a province office declares a city office of its registry; the city’s counties move with it', async () => {
    const p = await makeProvinceWithCity(t());
    const admin = await p.provinceAdmin.login();
    const office = await admin.post('/api/organisations', { name: `乙市百城办${unique()}`, kind: 'office' });
    expect(office.statusCode).toBe(201);
    expect(office.json().tenantId).toBe(p.province.id);
    const county = await admin.post('/api/organisations', { name: `乙县${unique()}`, kind: 'jurisdiction', parentId: office.json().id });
    expect(county.statusCode).toBe(201);

    const declared = await admin.post('/api/tenants', { orgId: office.json().id });
    expect(declared.statusCode, declared.body).toBe(201);
    expect(declared.json()).toMatchObject({ orgId: office.json().id, level: 'city', parentOrgId: p.province.id, name: office.json().name });
    expect((await admin.get(`/api/organisations/${county.json().id}`)).json().tenantId).toBe(office.json().id);
    const audit = await t()
      .db.selectFrom('audit_events')
      .select(['action', 'actor_id'])
      .where('entity_id', '=', office.json().id)
      .where('action', '=', 'tenant.declare')
      .execute();
    expect(audit).toEqual([{ action: 'tenant.declare', actor_id: p.provinceAdmin.user.id }]);

    const list = (await admin.get('/api/tenants')).json().items.map((x: { orgId: string }) => x.orgId);
    expect(list).toEqual(expect.arrayContaining([p.province.id, p.city.id, office.json().id]));
    // The city sees itself only; the new city's office and county are now another jurisdiction to it.
    const city = await p.cityAdmin.login();
    expect((await city.get('/api/tenants')).json().items.map((x: { orgId: string }) => x.orgId)).toEqual([p.city.id]);
    expect((await city.get(`/api/organisations/${county.json().id}`)).statusCode).toBe(404);
    // The province still reads the new city's registry but no longer administers it.
    const rename = await admin.patch(`/api/organisations/${county.json().id}`, { version: county.json().version, name: '改名' });
    expect(rename.statusCode).toBe(403);
  });

  it('refuses a city, an organisation of a city, a tenant twice, a group and unknown ids', async () => {
    const p = await makeProvinceWithCity(t());
    const admin = await p.provinceAdmin.login();
    const city = await p.cityAdmin.login();
    const mine = (await city.post('/api/organisations', { name: `市局${unique()}`, kind: 'department' })).json();
    // A city office cannot declare tenants, even of its own registry.
    const byCity = await city.post('/api/tenants', { orgId: mine.id });
    expect(byCity.statusCode).toBe(403);
    expect(byCity.json().detail).toContain('省级');
    // The province reads the city's organisation but does not administer it.
    expect((await admin.post('/api/tenants', { orgId: mine.id })).statusCode).toBe(403);
    expect((await admin.post('/api/tenants', { orgId: p.city.id })).statusCode).toBe(403);
    expect((await admin.post('/api/tenants', { orgId: p.province.id })).statusCode).toBe(409);
    const group = (await admin.post('/api/organisations', { name: `组${unique()}`, kind: 'group' })).json();
    expect((await admin.post('/api/tenants', { orgId: group.id })).statusCode).toBe(400);
    expect((await admin.post('/api/tenants', { orgId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404);
    expect((await admin.post('/api/tenants', { orgId: 'not-an-id' })).statusCode).toBe(400);
    // Another province's organisation does not exist for this one.
    const other = await makeOrg(t(), { name: `他省${unique()}`, kind: 'office' });
    await declareTenant(t().db, null, other.id, { level: 'province', parentOrgId: null });
    const otherOrg = await makeOrg(t(), { name: `他省局${unique()}`, kind: 'office', parentId: other.id });
    expect((await admin.post('/api/tenants', { orgId: otherOrg.id })).statusCode).toBe(404);
    // The test app's untenanted admin has no province: refused, even for its own registry.
    const plain = await t().login('admin');
    expect((await plain.post('/api/tenants', { orgId: t().orgs.county.id })).statusCode).toBe(403);
    expect((await plain.post('/api/tenants', { orgId: otherOrg.id })).statusCode).toBe(404);
    const rows = await t().db.selectFrom('tenants').select('org_id').where('org_id', 'in', [mine.id, group.id, otherOrg.id]).execute();
    expect(rows).toEqual([]);
  });

  it('organisation names are unique per tenant: two cities each have their 市住房和城乡建设局', async () => {
    const p = await makeProvinceWithCity(t());
    const other = await makeOrg(t(), { name: `丙市办${unique()}`, kind: 'office' });
    await declareTenant(t().db, null, other.id, { level: 'city', parentOrgId: p.province.id });
    const otherAdmin = await makeUser(t(), { orgId: other.id, role: 'admin' });
    const a = await p.cityAdmin.login();
    const b = await otherAdmin.login();
    const name = `市住房和城乡建设局${unique()}`;
    const inA = await a.post('/api/organisations', { name, kind: 'department' });
    expect(inA.statusCode).toBe(201);
    const inB = await b.post('/api/organisations', { name, kind: 'department' });
    expect(inB.statusCode, inB.body).toBe(201);
    expect(inB.json().tenantId).toBe(other.id);
    // Still unique inside one tenant: by create, rename and import.
    const again = await a.post('/api/organisations', { name, kind: 'department' });
    expect(again.statusCode).toBe(409);
    const second = (await a.post('/api/organisations', { name: `其他局${unique()}`, kind: 'department' })).json();
    expect((await a.patch(`/api/organisations/${second.id}`, { version: second.version, name })).statusCode).toBe(409);
    // B renames its own to a name A holds: allowed.
    const bOther = (await b.post('/api/organisations', { name: `丙局${unique()}`, kind: 'department' })).json();
    expect((await b.patch(`/api/organisations/${bOther.id}`, { version: bOther.version, name: second.name })).statusCode).toBe(200);
    // Importing the name into A matches A's own row (unchanged), not B's.
    const imp = await a.post('/api/organisations/registry', { organisations: [{ id: 'x', name, aliases: [], kind: 'department' }] });
    expect(imp.json()).toEqual({ created: 0, updated: 0 });
    // The database itself refuses a second row of one name in one tenant.
    const now = new Date().toISOString();
    await expect(
      t()
        .db.insertInto('organisations')
        .values({
          id: crypto.randomUUID(),
          name,
          aliases: '[]',
          kind: 'department',
          admin_code: null,
          parent_id: null,
          tenant_id: other.id,
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute(),
    ).rejects.toThrow();
  });
});

describeEachDialect('tenants before any is declared', (ctx) => {
  const t = useTestApp(ctx);

  it('an installation without tenants has no province to declare a city under: 409', async () => {
    const plain = await t().login('admin');
    const res = await plain.post('/api/tenants', { orgId: t().orgs.county.id });
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toContain('省级');
    expect((await plain.get('/api/tenants')).json()).toEqual({ items: [] });
    expect(await t().db.selectFrom('tenants').select('org_id').execute()).toEqual([]);
  });
});

// The unique index moves from (name) to (tenant, name) without losing rows of the tables that
// cascade from organisations (SQLite rebuilds the table).
describeEachDialect('organisation name index migration', (ctx) => {
  it('keeps every organisation, member, tenant and reference; names clash only inside a tenant', async () => {
    const handle = openDatabase(ctx.url());
    try {
      const folder = path.join(path.dirname(fileURLToPath(import.meta.url)), '../src/server/db/migrations');
      const migrator = new Migrator({ db: handle.db, provider: new FileMigrationProvider({ fs, path, migrationFolder: folder }) });
      expect((await migrator.migrateTo('2026_12_02_1000_create_tenancy')).error).toBeUndefined();
      const db = handle.db as unknown as Kysely<any>;
      const now = new Date().toISOString();
      const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
      const org = (n: number, name: string, kind: string, parent: number | null, tenant: number | null) =>
        db
          .insertInto('organisations')
          .values({
            id: id(n),
            name,
            aliases: '[]',
            kind,
            admin_code: null,
            parent_id: parent && id(parent),
            tenant_id: tenant && id(tenant),
            version: 1,
            created_at: now,
            updated_at: now,
          })
          .execute();
      await org(1, '省办', 'office', null, null);
      await db
        .insertInto('tenants')
        .values({ org_id: id(1), level: 'province', parent_org_id: null, created_at: now })
        .execute();
      await db
        .updateTable('organisations')
        .set({ tenant_id: id(1) })
        .execute();
      await org(2, '甲市办', 'office', null, 2);
      await db
        .insertInto('tenants')
        .values({ org_id: id(2), level: 'city', parent_org_id: id(1), created_at: now })
        .execute();
      await org(3, '甲县', 'jurisdiction', 2, 2);
      await org(4, '各县区', 'group', null, 2);
      await db
        .insertInto('organisation_members')
        .values({ group_id: id(4), member_id: id(3) })
        .execute();
      await db
        .insertInto('users')
        .values({
          id: id(90),
          username: 'u',
          display_name: 'u',
          org_id: id(3),
          role: 'unit',
          password_hash: 'x',
          is_active: 1,
          failed_logins: 0,
          locked_until: null,
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      expect((await db.selectFrom('organisations').select(['id', 'parent_id', 'tenant_id']).orderBy('id').execute()).length).toBe(4);
      expect((await db.selectFrom('organisations').select('parent_id').where('id', '=', id(3)).executeTakeFirstOrThrow()).parent_id).toBe(
        id(2),
      );
      expect(await db.selectFrom('organisation_members').selectAll().execute()).toEqual([{ group_id: id(4), member_id: id(3) }]);
      expect((await db.selectFrom('tenants').select(['org_id', 'parent_org_id']).orderBy('org_id').execute()).length).toBe(2);
      expect((await db.selectFrom('users').select('org_id').executeTakeFirstOrThrow()).org_id).toBe(id(3));
      // A name of city 甲 is free in the province; taken again in 甲 it is refused.
      await org(5, '甲县', 'jurisdiction', null, 1);
      await expect(org(6, '甲县', 'jurisdiction', null, 2)).rejects.toThrow();
      await org(7, '无主', 'office', null, null);
      await expect(org(8, '无主', 'office', null, null)).rejects.toThrow();
      // Foreign keys still hold after the rebuild.
      await expect(
        db
          .insertInto('organisation_members')
          .values({ group_id: id(4), member_id: id(999) })
          .execute(),
      ).rejects.toThrow();
    } finally {
      await handle.close();
    }
  });
});
