import { createHash, randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { UserRole } from '../../../shared/enums.ts';
import type { ChangePasswordBody, Session } from '../../../shared/schemas/user.schema.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { AppError } from '../../core/app-error.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { writeTx } from '../../core/transaction.ts';
import { getOrganisation } from '../organisations/organisations.service.ts';
import { getDummyHash, hashPassword, verifyPassword } from '../users/password-hash.ts';
import { findUserById, findUserByUsername, incrementFailedLogins, setLoginFailures, updateUserIfVersion } from '../users/users.repository.ts';
import { getUser } from '../users/users.service.ts';
import type { Actor } from '../../core/actor.ts';
import { deleteExpiredSessions, deleteSession, deleteSessionsOfUser, findSessionWithUser, insertSession } from './session.repository.ts';

/** Failed logins in a row before the account locks, and for how long. */
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MINUTES = 15;

const INVALID_LOGIN = 'invalid username or password';

/** The cookie value is a random token; the database keeps only its sha256, so a leaked table holds no usable cookies. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface ResolvedSession {
  sessionId: string;
  csrfToken: string;
  actor: Actor;
}

/**
 * Signs a user in: checks lockout, verifies the password (argon2id; unknown usernames cost the
 * same), counts failures (locking after LOCKOUT_THRESHOLD for LOCKOUT_MINUTES) and on success
 * creates a session row. Returns the cookie token and the Session body.
 */
export async function login(
  db: DbOrTrx,
  credentials: { username: string; password: string },
  options: { ttlHours: number; now?: Date },
): Promise<{ token: string; session: Session; expiresAt: Date }> {
  const now = options.now ?? new Date();
  const user = await findUserByUsername(db, credentials.username.trim());
  if (!user) {
    await verifyPassword(await getDummyHash(), credentials.password);
    throw new AppError('unauthenticated', INVALID_LOGIN);
  }
  if (user.locked_until && user.locked_until > now.toISOString()) {
    // No password check while locked: a guesser gains nothing from trying during the lock.
    throw new AppError('locked', `too many failed sign-ins; try again after ${user.locked_until}`);
  }
  const isValid = await verifyPassword(user.password_hash, credentials.password);
  if (!isValid || !Number(user.is_active)) {
    if (!isValid) await recordFailure(db, user.id, now);
    throw new AppError('unauthenticated', INVALID_LOGIN);
  }
  if (Number(user.failed_logins) > 0 || user.locked_until) await setLoginFailures(db, user.id, 0, null);

  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + options.ttlHours * 3_600_000);
  await insertSession(db, {
    id: sessionIdOf(token),
    user_id: user.id,
    csrf_token: csrfToken,
    created_at: now.toISOString(),
    expires_at: expiresAt.toISOString(),
  });
  return { token, session: await buildSession(db, user.id, csrfToken), expiresAt };
}

async function recordFailure(db: DbOrTrx, userId: string, now: Date): Promise<void> {
  const failures = await incrementFailedLogins(db, userId);
  if (failures < LOCKOUT_THRESHOLD) return;
  const until = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString();
  await writeTx(db, async (trx) => {
    await setLoginFailures(trx, userId, 0, until);
    await appendAudit(trx, { actorId: null, action: 'user.lock', entityType: 'user', entityId: userId, after: { lockedUntil: until, failures } });
  });
}

/** The Session body (user, organisation, CSRF token) for GET /api/auth/me and the login response. */
export async function buildSession(db: DbOrTrx, userId: string, csrfToken: string): Promise<Session> {
  const user = await getUser(db, userId);
  const org = await getOrganisation(db, user.orgId);
  return { user, org: { id: org.id, name: org.name }, csrfToken };
}

/** Looks up the session for a cookie token; null if unknown, expired (deleted on sight) or the user is inactive. */
export async function resolveSession(db: DbOrTrx, token: string, now: Date = new Date()): Promise<ResolvedSession | null> {
  const row = await findSessionWithUser(db, sessionIdOf(token));
  if (!row) return null;
  if (row.expiresAt <= now.toISOString()) {
    await deleteSession(db, row.sessionId);
    return null;
  }
  if (!Number(row.isActive)) return null;
  return {
    sessionId: row.sessionId,
    csrfToken: row.csrfToken,
    actor: { userId: row.userId, orgId: row.orgId, role: row.role as UserRole, displayName: row.displayName },
  };
}

/** Ends one session. */
export async function logout(db: DbOrTrx, sessionId: string): Promise<void> {
  await deleteSession(db, sessionId);
}

/** Housekeeping for a scheduled job: removes expired sessions, returns how many. */
export async function purgeExpiredSessions(db: DbOrTrx, now: Date = new Date()): Promise<number> {
  return deleteExpiredSessions(db, now.toISOString());
}

/**
 * Changes the signed-in user's own password after checking the current one (400 on mismatch).
 * Other sessions of the user end; this one stays. Audited without the hash.
 */
export async function changePassword(db: DbOrTrx, actor: Actor, sessionId: string, body: z.infer<typeof ChangePasswordBody>): Promise<void> {
  const user = await findUserById(db, actor.userId);
  if (!user) throw new AppError('unauthenticated', 'sign in first');
  if (!(await verifyPassword(user.password_hash, body.currentPassword))) {
    throw new AppError('validation', 'the current password is not correct', {
      errors: [{ path: 'currentPassword', message: 'the current password is not correct' }],
    });
  }
  const passwordHash = await hashPassword(body.newPassword);
  await writeTx(db, async (trx) => {
    const fresh = await findUserById(trx, actor.userId);
    if (!fresh) throw new AppError('unauthenticated', 'sign in first');
    await updateUserIfVersion(trx, fresh.id, Number(fresh.version), { password_hash: passwordHash, updated_at: new Date().toISOString() });
    await deleteSessionsOfUser(trx, fresh.id, sessionId);
    await appendAudit(trx, { actorId: actor.userId, action: 'user.password_change', entityType: 'user', entityId: fresh.id });
  });
}
