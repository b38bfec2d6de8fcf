/**
 * The write transaction every service runs in (core: modules import it, not each other).
 */
import type { Transaction } from 'kysely';
import type { DbOrTrx } from '../db/database.ts';
import type { Database } from '../db/database.types.ts';
import { beginAuditBuffer, flushAuditBuffer } from './audit-log.ts';

export type { DbOrTrx };
export type Trx = Transaction<Database>;

/**
 * Runs a service write in a transaction. Its audit events are buffered and written just before
 * the commit, set-based, locking only the heads of the chains they belong to (ADR 0005): writers
 * of different plans never wait on each other, and since the head locks come last (in chain
 * order) no writer holds a head while waiting for a data row, so writers cannot deadlock on them.
 * Conflicting writes of the same rows are caught by the row versions (`where version = ?`), as
 * before. Inside an existing transaction it simply joins it, so services can call each other.
 */
export async function writeTx<T>(db: DbOrTrx, fn: (trx: Trx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Trx);
  return db.transaction().execute(async (trx) => {
    beginAuditBuffer(trx);
    const result = await fn(trx);
    await flushAuditBuffer(trx);
    return result;
  });
}
