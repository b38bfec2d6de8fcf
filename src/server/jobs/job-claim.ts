/**
 * Running a scheduled job once per tick across several server instances (owns `job_claims`).
 * A tick is a time slot; the instance that inserts the (job, slot) claim row first runs it, the
 * others skip. On PostgreSQL the pass also holds a session advisory lock on the job, so a pass
 * that outlives its slot never overlaps the next slot's pass on another instance. SQLite is
 * single-instance by nature (one file, one server process writing it), so there the claim only
 * makes restarts within a slot skip. Either way a server restarted within the slot (same business
 * day, same hour) skips its start-up pass: that slot's pass has already run. The cron commands
 * (`luoshi periods tick`, `reminders tick`) are not claimed: cron runs them on one host.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { sql } from 'kysely';
import { isPostgres } from '../core/audit-log.ts';
import type { Db } from '../db/database.ts';

/** This process's name in the claims (host, pid and a random tag: two processes never share it). */
export const INSTANCE_ID = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

/** How long claims are kept (for the operator to see who ran what), then pruned. */
const KEEP_CLAIMS_MS = 7 * 24 * 3_600_000;

/**
 * The slot of a tick: the job's business day plus the interval bucket of the clock, so a restart
 * with another business day (LUOSHI_TODAY) is a new tick, and instances ticking at different
 * moments of the same interval share one.
 */
export function tickSlot(asOf: string, intervalMs: number, now: Date = new Date()): string {
  return `${asOf}@${Math.floor(now.getTime() / intervalMs)}`;
}

/** Inserts the claim of (job, slot); true when this call made it, false when another did first. */
export async function claimJobTick(db: Db, job: string, slot: string, by: string = INSTANCE_ID): Promise<boolean> {
  const now = new Date();
  const res = await db
    .insertInto('job_claims')
    .values({ job, slot, claimed_by: by, claimed_at: now.toISOString() })
    .onConflict((oc) => oc.columns(['job', 'slot']).doNothing())
    .executeTakeFirst();
  const won = Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
  if (won)
    await db
      .deleteFrom('job_claims')
      .where('job', '=', job)
      .where('claimed_at', '<', new Date(now.getTime() - KEEP_CLAIMS_MS).toISOString())
      .execute();
  return won;
}

/**
 * Runs `fn` for this (job, slot) only when this instance wins the claim (and, on PostgreSQL, the
 * job's advisory lock). Returns null when skipped.
 */
export async function runJobOnce<T>(
  db: Db,
  job: string,
  slot: string,
  fn: () => Promise<T>,
  by: string = INSTANCE_ID,
): Promise<{ result: T } | null> {
  const claimed = async () => ((await claimJobTick(db, job, slot, by)) ? { result: await fn() } : null);
  if (!isPostgres(db)) return claimed();
  const lockKey = `luoshi-job:${job}`;
  // A session lock on one pinned connection: held for the whole pass (which uses other pooled
  // connections), released on that same connection.
  return db.connection().execute(async (conn) => {
    const got = await sql<{ ok: boolean }>`select pg_try_advisory_lock(hashtext(${lockKey})) as ok`.execute(conn);
    if (!got.rows[0]?.ok) return null;
    try {
      return await claimed();
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${lockKey}))`.execute(conn);
    }
  });
}
