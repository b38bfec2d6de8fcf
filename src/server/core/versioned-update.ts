/**
 * The optimistic-concurrency update every versioned row uses: change the row only while it is
 * still at the version the caller read, and bump that version. One implementation instead of a
 * copy per repository; a repository calls it for its own tables (the owner rule still holds: the
 * table name is the caller's).
 */
import type { Updateable } from 'kysely';
import type { DbOrTrx } from '../db/database.ts';
import type { Database } from '../db/database.types.ts';
import type { AppError } from './app-error.ts';
import { type AuditInput, appendAudit } from './audit-log.ts';

/** Tables with a `version` column, and the column that names their row. */
type VersionedTable = { [T in keyof Database]: Database[T] extends { version: number } ? T : never }[keyof Database];

/**
 * Sets `patch` (and `version + 1`) on the row of `table` whose `key` column (default `id`) is
 * `id`, if it is still at `version`. Returns the rows changed: 1, or 0 when the version is stale
 * or the row is gone.
 */
export async function updateIfVersion<T extends VersionedTable>(
  db: DbOrTrx,
  table: T,
  id: string,
  version: number,
  patch: Omit<Updateable<Database[T]>, 'version'>,
  key: keyof Database[T] & string = 'id' as keyof Database[T] & string,
): Promise<number> {
  // Kysely cannot check a builder over a table chosen by a type parameter; the signature above
  // does (patch columns belong to `table`, `key` is one of its columns).
  const res = await (db as DbOrTrx)
    .updateTable(table as 'users')
    .set({ ...(patch as Updateable<Database['users']>), version: version + 1 })
    .where(key as 'id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** A versioned update and its audit event: what a service writes when one row changes. */
export interface VersionedUpdate<T extends VersionedTable, A> {
  table: T;
  id: string;
  version: number;
  patch: Omit<Updateable<Database[T]>, 'version'>;
  /** The error a stale version throws (each entity names itself and sends its current row). */
  conflict: () => AppError | Promise<AppError>;
  /** The audit event, with the row after the change (computed once the update has run). */
  audit: Omit<AuditInput, 'after'> & { after: () => A | Promise<A> };
}

/**
 * {@link updateIfVersion}, then the audit event: throws `conflict()` when the version is stale,
 * otherwise appends `audit` with `after()` and returns that value. Run inside the service's writeTx.
 */
export async function versionedUpdateAudited<T extends VersionedTable, A>(trx: DbOrTrx, u: VersionedUpdate<T, A>): Promise<A> {
  if ((await updateIfVersion(trx, u.table, u.id, u.version, u.patch)) === 0) throw await u.conflict();
  const after = await u.audit.after();
  await appendAudit(trx, { ...u.audit, after });
  return after;
}
