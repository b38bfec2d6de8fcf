/**
 * The write transaction every service runs in (core: modules import it, not each other).
 */
import type { Transaction } from 'kysely';
import type { DbOrTrx } from '../db/database.ts';
import type { Database } from '../db/database.types.ts';
import { lockAuditHead } from './audit-log.ts';

export type { DbOrTrx };
export type Trx = Transaction<Database>;

/**
 * Runs a service write in a transaction. The audit head is locked first: on PostgreSQL every
 * writer then takes its locks in the same order (head, then rows), so two writers can queue but
 * never deadlock, and a stale-version update always sees the winner's commit. Inside an existing
 * transaction it simply joins it, so services can call each other.
 */
export async function writeTx<T>(db: DbOrTrx, fn: (trx: Trx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Trx);
  return db.transaction().execute(async (trx) => {
    await lockAuditHead(trx);
    return fn(trx);
  });
}
