/**
 * The write transaction every service runs in (core: modules import it, not each other).
 */
import type { Transaction } from 'kysely';
import type { DbOrTrx } from '../db/database.ts';
import type { Database } from '../db/database.types.ts';
import { AppError } from './app-error.ts';
import { beginAuditBuffer, flushAuditBuffer, isPostgres } from './audit-log.ts';

export type { DbOrTrx };
export type Trx = Transaction<Database>;

/**
 * Whether a failed PostgreSQL transaction lost a race with a concurrent one: a stale version
 * (the row changed after this transaction read it), a unique key a concurrent insert took first,
 * or a deadlock between data rows.
 */
function lostRace(err: unknown): boolean {
  if (err instanceof AppError) return err.code === 'version_conflict';
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === '40P01';
}

/**
 * Runs a service write in a transaction. Its audit events are buffered and written just before
 * the commit, set-based, locking only the heads of the chains they belong to (ADR 0005): writers
 * of different plans never wait on each other, and since the head locks come last (in chain
 * order) no writer holds a head while waiting for a data row, so writers cannot deadlock on them.
 *
 * Writers are no longer serialised as a whole, so on PostgreSQL a transaction can read a row,
 * lose the race to update it, and answer from its stale read. Such a transaction (a version
 * conflict, a unique violation, a deadlock) is rolled back and run once more: by then the winner
 * has committed (the loser's update waited for it), so the service's own checks see it and
 * answer with the row as it is now, as when every writer queued on one lock. SQLite has one
 * writer at a time and needs no second run. Inside an existing transaction writeTx simply joins
 * it, so services can call each other.
 */
export async function writeTx<T>(db: DbOrTrx, fn: (trx: Trx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Trx);
  const run = () =>
    db.transaction().execute(async (trx) => {
      beginAuditBuffer(trx);
      const result = await fn(trx);
      await flushAuditBuffer(trx);
      return result;
    });
  try {
    return await run();
  } catch (err) {
    if (isPostgres(db) && lostRace(err)) return run();
    throw err;
  }
}
