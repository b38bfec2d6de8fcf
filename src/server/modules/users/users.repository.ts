import type { Insertable, Updateable } from 'kysely';
import type { DbOrTrx } from '../../db/database.ts';
import { updateIfVersion } from '../../core/versioned-update.ts';
import type { UserRow, UsersTable } from '../../db/database.types.ts';

export async function findUserById(db: DbOrTrx, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByUsername(db: DbOrTrx, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function listUserRows(db: DbOrTrx, limit: number, offset: number): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().orderBy('username').limit(limit).offset(offset).execute();
}

/** id → display name of the given users (unknown ids are left out). */
export async function listDisplayNameRows(db: DbOrTrx, ids: string[]): Promise<{ id: string; display_name: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute();
}

export async function countUsers(db: DbOrTrx): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertUser(db: DbOrTrx, row: Insertable<UsersTable>): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

/** Updates only if the row is still at `version`; returns whether it was. */
export async function updateUserIfVersion(db: DbOrTrx, id: string, version: number, patch: Updateable<UsersTable>): Promise<boolean> {
  return (await updateIfVersion(db, 'users', id, version, patch)) === 1;
}

export async function countUsersInOrg(db: DbOrTrx, orgId: string): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Active users who file reports (lead and unit roles). */
export function listReportingUsers(db: DbOrTrx) {
  return db
    .selectFrom('users')
    .select(['id', 'org_id', 'role', 'display_name'])
    .where('is_active', '=', 1)
    .where('role', 'in', ['lead', 'unit'])
    .orderBy('id')
    .execute();
}

export async function findUserOrgIdRow(db: DbOrTrx, userId: string): Promise<string | null> {
  const user = await db.selectFrom('users').select('org_id').where('id', '=', userId).executeTakeFirst();
  return user?.org_id ?? null;
}

/** Active users of the given organisations (whom a notification to those organisations reaches). */
export function listActiveUserRowsOfOrgs(db: DbOrTrx, orgIds: readonly string[]) {
  if (orgIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('users')
    .select(['id', 'org_id', 'role', 'display_name'])
    .where('org_id', 'in', [...orgIds])
    .where('is_active', '=', 1)
    .orderBy('id')
    .execute();
}

/** Accounts of the given organisations by username, paged: the tenant-scoped account list (issue 12). */
export async function listUserRowsOfOrgs(db: DbOrTrx, orgIds: string[], limit: number, offset: number): Promise<UserRow[]> {
  if (orgIds.length === 0) return [];
  return db.selectFrom('users').selectAll().where('org_id', 'in', orgIds).orderBy('username').limit(limit).offset(offset).execute();
}

export async function countUsersOfOrgs(db: DbOrTrx, orgIds: string[]): Promise<number> {
  if (orgIds.length === 0) return 0;
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', 'in', orgIds)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
