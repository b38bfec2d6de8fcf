import { sql } from 'kysely';
import type { DbOrTrx } from '../../db/database.ts';
import type { LoginThrottleTable } from '../../db/database.types.ts';

export type ThrottleRow = LoginThrottleTable;

/** The (address, username) row and the address's own row (username ''), whichever exist. */
export async function findThrottleRows(db: DbOrTrx, address: string, username: string): Promise<ThrottleRow[]> {
  return db.selectFrom('login_throttle').selectAll().where('address', '=', address).where('username', 'in', [username, '']).execute();
}

/**
 * Counts one failure in one atomic upsert and returns the new count. A count older than
 * `forgetBefore` starts again at 1: by the window's start (`window`) or by the last failure
 * (`quiet`, so only a pause forgets).
 */
export async function countThrottleFailure(
  db: DbOrTrx,
  row: { address: string; username: string; now: string; forgetBefore: string; forgetBy: 'window' | 'quiet' },
): Promise<number> {
  const column = row.forgetBy === 'window' ? 'window_started_at' : 'last_failure_at';
  const stale = sql<boolean>`${sql.ref(`login_throttle.${column}`)} < ${row.forgetBefore}`;
  const result = await db
    .insertInto('login_throttle')
    .values({
      address: row.address,
      username: row.username,
      failures: 1,
      window_started_at: row.now,
      last_failure_at: row.now,
      blocked_until: null,
    })
    .onConflict((oc) =>
      oc.columns(['address', 'username']).doUpdateSet({
        failures: sql<number>`case when ${stale} then 1 else login_throttle.failures + 1 end`,
        window_started_at: sql<string>`case when ${stale} then ${row.now} else login_throttle.window_started_at end`,
        blocked_until: sql<string | null>`case when ${stale} then null else login_throttle.blocked_until end`,
        last_failure_at: row.now,
      }),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  return Number(result.failures);
}

/** Sets the row's block end, never shortening a later one (concurrent failures). */
export async function setThrottleBlock(db: DbOrTrx, address: string, username: string, until: string): Promise<void> {
  await db
    .updateTable('login_throttle')
    .set({ blocked_until: until })
    .where('address', '=', address)
    .where('username', '=', username)
    .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', until)]))
    .execute();
}

export async function deleteThrottleRow(db: DbOrTrx, address: string, username: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('address', '=', address).where('username', '=', username).execute();
}

/** Removes rows with no failure since `before` and no block still running; returns how many. */
export async function deleteStaleThrottleRows(db: DbOrTrx, before: string, now: string): Promise<number> {
  const res = await db
    .deleteFrom('login_throttle')
    .where('last_failure_at', '<', before)
    .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', now)]))
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
