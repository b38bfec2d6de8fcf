import type { z } from 'zod';
import type { ChangePasswordBody, Session } from '../../../shared/schemas/user.schema.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { AppError } from '../../core/app-error.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { writeTx } from '../../core/transaction.ts';
import { getOrganisation } from '../organisations/organisations.service.ts';
import {
  createSession,
  deleteSession,
  findUserForLogin,
  getUser,
  hashPassword,
  isCurrentPassword,
  setPasswordHash,
} from '../users/users.service.ts';
import type { Actor } from '../../core/actor.ts';
import { loginWaitSeconds, recordLoginFailure, recordLoginSuccess, throttleAddress, throttleName } from './login-throttle.service.ts';

const INVALID_LOGIN = 'invalid username or password';

/** Where a sign-in comes from, for the throttle, and a logger for the waits it starts. */
export interface LoginContext {
  ttlHours: number;
  /** The client address (req.ip: the socket's, or X-Forwarded-For's with TRUST_PROXY=1). */
  ip: string;
  now?: Date;
  log?: { warn: (obj: object, msg: string) => void };
}

/**
 * Signs a user in. First the throttle (login-throttle.service.ts): while this address must wait
 * on this account name, 429 with `retryAfter`, the password unread. Then argon2id verification,
 * against a dummy hash when the name is unknown, so an unknown name, a wrong password and an
 * inactive account cost and answer the same (401) and count the same failure. A success forgets
 * the failures on that name from that address and creates a session row. Returns the cookie
 * token and the Session body.
 */
export async function login(
  db: DbOrTrx,
  credentials: { username: string; password: string },
  options: LoginContext,
): Promise<{ token: string; session: Session; expiresAt: Date }> {
  const now = options.now ?? new Date();
  const address = throttleAddress(options.ip);
  const name = throttleName(credentials.username);
  const wait = await loginWaitSeconds(db, address, name, now);
  if (wait > 0) {
    throw new AppError('rate_limited', `登录尝试过于频繁，请 ${wait} 秒后再试。`, { retryAfter: wait });
  }
  const user = await findUserForLogin(db, credentials.username, credentials.password);
  if (!user) {
    const started = await recordLoginFailure(db, address, name, now);
    if (started.addressDelay > 0) options.log?.warn({ address, waitSeconds: started.addressDelay }, 'sign-in failures: address throttled');
    throw new AppError('unauthenticated', INVALID_LOGIN);
  }
  await recordLoginSuccess(db, address, name, now);

  const { token, csrfToken, expiresAt } = await createSession(db, user.id, options.ttlHours, now);
  return { token, session: await buildSession(db, user.id, csrfToken), expiresAt };
}

/** The Session body (user, organisation, CSRF token) for GET /api/auth/me and the login response. */
export async function buildSession(db: DbOrTrx, userId: string, csrfToken: string): Promise<Session> {
  const user = await getUser(db, userId);
  const org = await getOrganisation(db, user.orgId);
  return { user, org: { id: org.id, name: org.name }, csrfToken };
}

/** Ends one session. */
export async function logout(db: DbOrTrx, sessionId: string): Promise<void> {
  await deleteSession(db, sessionId);
}

/**
 * Changes the signed-in user's own password after checking the current one (400 on mismatch).
 * Other sessions of the user end; this one stays. Audited without the hash.
 */
export async function changePassword(
  db: DbOrTrx,
  actor: Actor,
  sessionId: string,
  body: z.infer<typeof ChangePasswordBody>,
): Promise<void> {
  const current = await isCurrentPassword(db, actor.userId, body.currentPassword);
  if (current === null) throw new AppError('unauthenticated', 'sign in first');
  if (!current) {
    throw new AppError('validation', 'the current password is not correct', {
      errors: [{ path: 'currentPassword', message: 'the current password is not correct' }],
    });
  }
  const passwordHash = await hashPassword(body.newPassword);
  await writeTx(db, async (trx) => {
    if (!(await setPasswordHash(trx, actor.userId, passwordHash, sessionId))) throw new AppError('unauthenticated', 'sign in first');
    await appendAudit(trx, { actorId: actor.userId, action: 'user.password_change', entityType: 'user', entityId: actor.userId });
  });
}
