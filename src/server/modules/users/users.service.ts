import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { CreateUserBody, UpdateUserBody, User } from '../../../shared/schemas/user.schema.ts';
import type { DbOrTrx } from '../../db/database.ts';
import type { UserRow } from '../../db/database.types.ts';
import { isUniqueViolation } from '../../db/db-errors.ts';
import { AppError } from '../../core/app-error.ts';
import type { Actor } from '../../core/actor.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { writeTx } from '../../core/transaction.ts';
import { createOrganisation, hasOrganisation, listOrganisations } from '../organisations/organisations.service.ts';
import { getDummyHash, hashPassword, verifyPassword } from './password-hash.ts';
import {
  deleteExpiredSessionsOfUser,
  deleteSessionRow,
  deleteSessionsOfUser,
  findSessionWithUser,
  insertSession,
} from './session.repository.ts';
import {
  countUsers,
  countUsersInOrg,
  countUsersOfOrgs,
  findUserById,
  findUserByUsername,
  findUserOrgIdRow,
  insertUser,
  listActiveUserRowsOfOrgs,
  listDisplayNameRows,
  listReportingUsers,
  listUserRows,
  listUserRowsOfOrgs,
  updateUserIfVersion,
} from './users.repository.ts';
import { accountOrgScope, assertCanAdministerAccountOrg, assertCanPlaceAccountIn } from './users.policy.ts';

/** The only mapping from a user row to the outside world: the password hash never leaves here. */
export function toUserDto(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    orgId: row.org_id,
    role: row.role,
    isActive: Boolean(Number(row.is_active)),
    version: Number(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function invalid(path: string, message: string): AppError {
  return new AppError('validation', message, { errors: [{ path, message }] });
}

/** Users by username, paged; with `actor`, only the accounts of the tenants they read (users.policy). */
export async function listUsers(db: DbOrTrx, page: { limit: number; offset: number } = { limit: 500, offset: 0 }, actor?: Actor | null) {
  const orgIds = actor === undefined ? null : await accountOrgScope(db, actor);
  if (orgIds !== null) {
    const [rows, total] = await Promise.all([listUserRowsOfOrgs(db, orgIds, page.limit, page.offset), countUsersOfOrgs(db, orgIds)]);
    return { items: rows.map(toUserDto), total };
  }
  const [rows, total] = await Promise.all([listUserRows(db, page.limit, page.offset), countUsers(db)]);
  return { items: rows.map(toUserDto), total };
}

/** One user; 404 if absent. */
export async function getUser(db: DbOrTrx, id: string): Promise<User> {
  const row = await findUserById(db, id);
  if (!row) throw new AppError('not_found', 'user not found');
  return toUserDto(row);
}

/** Display names of the given users, by id: how a history names a reviewer instead of showing an id. */
export async function displayNamesOf(db: DbOrTrx, ids: Iterable<string>): Promise<Record<string, string>> {
  const rows = await listDisplayNameRows(db, [...new Set(ids)]);
  return Object.fromEntries(rows.map((r) => [r.id, r.display_name]));
}

/** Accounts placed in one organisation: the organisation delete asks before it removes one (OrganisationUseChecks). */
export function countUsersOfOrg(db: DbOrTrx, orgId: string): Promise<number> {
  return countUsersInOrg(db, orgId);
}

/** Creates an account with an argon2id password hash; 409 if the username is taken. Audited. */
export async function createUser(db: DbOrTrx, actor: Actor | null, body: CreateUserBody): Promise<User> {
  const passwordHash = await hashPassword(body.password);
  const id = randomUUID();
  const now = new Date().toISOString();
  try {
    return await writeTx(db, async (trx) => {
      if (await findUserByUsername(trx, body.username)) throw new AppError('conflict', `username "${body.username}" is taken`);
      if (!(await hasOrganisation(trx, body.orgId))) throw invalid('orgId', 'unknown organisation');
      await assertCanPlaceAccountIn(trx, actor, body.orgId);
      await insertUser(trx, {
        id,
        username: body.username,
        display_name: body.displayName,
        org_id: body.orgId,
        role: body.role,
        password_hash: passwordHash,
        is_active: 1,
        failed_logins: 0,
        locked_until: null,
        version: 1,
        created_at: now,
        updated_at: now,
      });
      const after = await getUser(trx, id);
      await appendAudit(trx, { actorId: actor?.userId ?? null, action: 'user.create', entityType: 'user', entityId: id, after });
      return after;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict', `username "${body.username}" is taken`);
    throw err;
  }
}

/**
 * Admin edit of an account: name, organisation, role, active flag, password reset. Deactivating,
 * a role/organisation change or a reset ends the user's sessions, so new rights apply at once.
 * 409 with the current row on a stale version. Audited (without the hash).
 */
export async function updateUser(db: DbOrTrx, actor: Actor | null, id: string, body: UpdateUserBody): Promise<User> {
  const passwordHash = body.password !== undefined ? await hashPassword(body.password) : undefined;
  return writeTx(db, async (trx) => {
    const before = await getUser(trx, id);
    await assertCanAdministerAccountOrg(trx, actor, before.orgId);
    if (before.version !== body.version) {
      throw new AppError('version_conflict', 'the account was changed by someone else', { current: before });
    }
    if (body.orgId !== undefined && !(await hasOrganisation(trx, body.orgId))) throw invalid('orgId', 'unknown organisation');
    if (body.orgId !== undefined && body.orgId !== before.orgId) await assertCanPlaceAccountIn(trx, actor, body.orgId);
    if (actor?.userId === id && (body.isActive === false || (body.role !== undefined && body.role !== 'admin'))) {
      throw new AppError('conflict', 'you cannot deactivate or demote your own account');
    }
    const ok = await updateUserIfVersion(trx, id, body.version, {
      display_name: body.displayName,
      org_id: body.orgId,
      role: body.role,
      is_active: body.isActive === undefined ? undefined : body.isActive ? 1 : 0,
      ...(passwordHash ? { password_hash: passwordHash, failed_logins: 0, locked_until: null } : {}),
      updated_at: new Date().toISOString(),
    });
    if (!ok) throw new AppError('version_conflict', 'the account was changed by someone else', { current: await getUser(trx, id) });
    const after = await getUser(trx, id);
    const rightsChanged = after.role !== before.role || after.orgId !== before.orgId || !after.isActive;
    if (passwordHash || rightsChanged) await deleteSessionsOfUser(trx, id);
    await appendAudit(trx, {
      actorId: actor?.userId ?? null,
      action: passwordHash ? 'user.update+password_reset' : 'user.update',
      entityType: 'user',
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

const BOOTSTRAP_ORG = '系统管理';

/**
 * First start without the demo: when no account exists and a password is configured, create an
 * `admin` account (in a 系统管理 office organisation) so someone can sign in and set things up.
 * Returns the username created, or null when accounts already exist or no password was given.
 */
export async function ensureBootstrapAdmin(db: DbOrTrx, password: string | undefined): Promise<string | null> {
  if (!password || (await countUsers(db)) > 0) return null;
  const existing = (await listOrganisations(db, { q: BOOTSTRAP_ORG })).items.find((o) => o.name === BOOTSTRAP_ORG);
  const org =
    existing ??
    (await createOrganisation(db, null, {
      name: BOOTSTRAP_ORG,
      aliases: [],
      kind: 'office',
      adminCode: null,
      parentId: null,
      memberIds: [],
    }));
  await createUser(db, null, { username: 'admin', displayName: '系统管理员', orgId: org.id, role: 'admin', password });
  return 'admin';
}

// Sessions are a user's credentials: they live here, so disabling an account or resetting its
// password revokes them in the same transaction. The auth module signs in and out through these.

export { hashPassword };

/** The cookie value is a random token; the database keeps only its sha256, so a leaked table holds no usable cookies. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The active account with this name and password, or null. argon2id verification runs against a
 * dummy hash when the name is unknown, so an unknown name, a wrong password and an inactive
 * account cost the same and answer the same.
 */
export async function findUserForLogin(db: DbOrTrx, username: string, password: string): Promise<{ id: string } | null> {
  const user = await findUserByUsername(db, username.trim());
  const isValid = await verifyPassword(user?.password_hash ?? (await getDummyHash()), password);
  if (!user || !isValid || !Number(user.is_active)) return null;
  return { id: user.id };
}

/** Whether `password` is the account's current one; null when the account is gone. */
export async function isCurrentPassword(db: DbOrTrx, userId: string, password: string): Promise<boolean | null> {
  const user = await findUserById(db, userId);
  if (!user) return null;
  return verifyPassword(user.password_hash, password);
}

/**
 * Sets an account's password hash and ends its other sessions (all but `keepSessionId`); false
 * when the account is gone. Run it in the caller's transaction, with the caller's audit entry.
 */
export async function setPasswordHash(trx: DbOrTrx, userId: string, passwordHash: string, keepSessionId?: string): Promise<boolean> {
  const user = await findUserById(trx, userId);
  if (!user) return false;
  await updateUserIfVersion(trx, user.id, Number(user.version), { password_hash: passwordHash, updated_at: new Date().toISOString() });
  await deleteSessionsOfUser(trx, user.id, keepSessionId);
  return true;
}

/** A new session of the user: the cookie token (the row keeps only its hash) and its CSRF token. */
export async function createSession(
  db: DbOrTrx,
  userId: string,
  ttlHours: number,
  now: Date = new Date(),
): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000);
  // A session that expires unseen is never looked up again, so nothing else would delete it:
  // each sign-in clears the user's own expired ones, which bounds the table by active sessions.
  await deleteExpiredSessionsOfUser(db, userId, now.toISOString());
  await insertSession(db, {
    id: sessionIdOf(token),
    user_id: userId,
    csrf_token: csrfToken,
    created_at: now.toISOString(),
    expires_at: expiresAt.toISOString(),
  });
  return { token, csrfToken, expiresAt };
}

export interface ResolvedSession {
  sessionId: string;
  csrfToken: string;
  actor: Actor;
}

/** Looks up the session for a cookie token; null if unknown, expired (deleted on sight) or the user is inactive. */
export async function resolveSession(db: DbOrTrx, token: string, now: Date = new Date()): Promise<ResolvedSession | null> {
  const row = await findSessionWithUser(db, sessionIdOf(token));
  if (!row) return null;
  if (row.expiresAt <= now.toISOString()) {
    await deleteSessionRow(db, row.sessionId);
    return null;
  }
  if (!Number(row.isActive)) return null;
  return {
    sessionId: row.sessionId,
    csrfToken: row.csrfToken,
    actor: { userId: row.userId, orgId: row.orgId, role: row.role, displayName: row.displayName },
  };
}

/** Ends one session. */
export async function deleteSession(db: DbOrTrx, sessionId: string): Promise<void> {
  await deleteSessionRow(db, sessionId);
}

/** Active users who file reports (lead and unit roles), by id: whom the reporting reminders go to. */
export function listActiveReportingUsers(db: DbOrTrx) {
  return listReportingUsers(db);
}

/** The organisation of a user (null: unknown user or none), e.g. whom to tell that a notice was answered. */
export function findUserOrgId(db: DbOrTrx, userId: string): Promise<string | null> {
  return findUserOrgIdRow(db, userId);
}

/** Id, organisation, role and name of the active users of the given organisations (whom a notification to them reaches). */
export function listActiveUsersOfOrgs(db: DbOrTrx, orgIds: readonly string[]) {
  return listActiveUserRowsOfOrgs(db, orgIds);
}
