import type { UserRole } from '../../../shared/enums.ts';
/** The `sessions` table: one row per signed-in browser, keyed by the sha256 of its cookie token. */
import type { DbOrTrx } from '../../db/database.ts';

export interface SessionWithUser {
  sessionId: string;
  csrfToken: string;
  expiresAt: string;
  userId: string;
  orgId: string;
  role: UserRole;
  displayName: string;
  isActive: number;
}

export async function insertSession(
  db: DbOrTrx,
  row: { id: string; user_id: string; csrf_token: string; created_at: string; expires_at: string },
): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export async function findSessionWithUser(db: DbOrTrx, id: string): Promise<SessionWithUser | undefined> {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.id as sessionId',
      's.csrf_token as csrfToken',
      's.expires_at as expiresAt',
      'u.id as userId',
      'u.org_id as orgId',
      'u.role as role',
      'u.display_name as displayName',
      'u.is_active as isActive',
    ])
    .where('s.id', '=', id)
    .executeTakeFirst();
}

export async function deleteSessionRow(db: DbOrTrx, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteSessionsOfUser(db: DbOrTrx, userId: string, exceptId?: string): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .$if(exceptId !== undefined, (qb) => qb.where('id', '!=', exceptId!))
    .execute();
}

/** Removes the user's sessions that expired before `nowIso` (indexed by user_id). */
export async function deleteExpiredSessionsOfUser(db: DbOrTrx, userId: string, nowIso: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).where('expires_at', '<', nowIso).execute();
}
