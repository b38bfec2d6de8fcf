/**
 * The hash-chained audit log every write appends to (owns `audit_events` and `audit_head`): the
 * event shape, the canonical JSON and hashes of the chain, the head lock and the append. Verifying,
 * checkpoints and history listing live in modules/audit; they read the same tables through this
 * file's row type and head functions.
 */
import { createHash } from 'node:crypto';
import { PostgresAdapter } from 'kysely';
import type { DbOrTrx } from '../db/database.ts';
import type { AuditEventsTable } from '../db/database.types.ts';
import { hmacHex, writerKeyring } from './audit-key.ts';

export type AuditRow = AuditEventsTable;

/** Whether the connection is PostgreSQL (row locks, SQL dialect differences). */
export function isPostgres(db: DbOrTrx): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Reads the chain head. On PostgreSQL the row is locked until the transaction ends, so concurrent
 * writers queue here instead of both linking to the same previous hash. SQLite has one writer at a
 * time already (and rejects FOR UPDATE).
 */
export async function lockAuditHead(trx: DbOrTrx): Promise<{ lastSeq: number; lastHash: string }> {
  const row = await trx
    .selectFrom('audit_head')
    .select(['last_seq', 'last_hash'])
    .where('id', '=', 1)
    .$if(isPostgres(trx), (qb) => qb.forUpdate())
    .executeTakeFirstOrThrow();
  return { lastSeq: Number(row.last_seq), lastHash: row.last_hash };
}

export async function readAuditHead(db: DbOrTrx): Promise<{ lastSeq: number; lastHash: string }> {
  const row = await db.selectFrom('audit_head').select(['last_seq', 'last_hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  return { lastSeq: Number(row.last_seq), lastHash: row.last_hash };
}

export async function insertAuditEvent(trx: DbOrTrx, row: AuditRow): Promise<void> {
  await trx.insertInto('audit_events').values(row).execute();
}

export async function updateAuditHead(trx: DbOrTrx, lastSeq: number, lastHash: string): Promise<void> {
  await trx.updateTable('audit_head').set({ last_seq: lastSeq, last_hash: lastHash }).where('id', '=', 1).execute();
}

/** The single global chain's id, until chains are scoped per city/plan. */
export const GLOBAL_CHAIN = 'global';

export interface AuditInput {
  actorId: string | null;
  /** Verb-first, dotted: `organisation.update`, `user.create`, `task.update`. */
  action: string;
  entityType: string;
  entityId: string;
  /** The task the event belongs to, so a task's history includes its targets and deadlines. */
  taskId?: string | null;
  before?: unknown;
  after?: unknown;
}

export const GENESIS_HASH = '0'.repeat(64);

// Secrets must never reach the append-only log, where they could not be erased later.
const SECRET_KEY = /password|secret|token/i;

/** JSON with object keys sorted at every level (and secrets dropped), so a hash is reproducible. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    if (value instanceof Date) return value.toISOString();
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      if (SECRET_KEY.test(key)) continue;
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

function eventOf(row: Omit<AuditRow, 'hash'>): Record<string, unknown> {
  return {
    seq: Number(row.seq),
    at: row.at,
    actorId: row.actor_id,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    taskId: row.task_id,
    before: row.before_json,
    after: row.after_json,
  };
}

/**
 * The legacy (unkeyed) hash of one row: sha256(prev_hash + canonical JSON of the event's own
 * columns). Anyone can compute it, so it only verifies events written before keyed hashing.
 */
export function hashAuditRow(row: Omit<AuditRow, 'hash'>): string {
  return createHash('sha256')
    .update(row.prev_hash + canonicalJson(eventOf(row)))
    .digest('hex');
}

/**
 * The keyed hash of one row: HMAC-SHA256 with a key kept outside the database, over prev_hash and
 * the event's columns including its kid, so only a key holder can make a hash that verifies.
 */
export function hashAuditRowKeyed(row: Omit<AuditRow, 'hash'>, key: Buffer): string {
  return hmacHex(key, `luoshi-audit-event/1\n${row.prev_hash}${canonicalJson({ ...eventOf(row), kid: row.kid })}`);
}

/**
 * Appends one event to the hash-chained audit log. Must run inside the writer's transaction, so
 * the change and its audit record commit (or roll back) together. Returns the event's seq.
 * The hash is keyed with the process's active audit key (AUDIT_KEY / AUDIT_KEY_FILE).
 */
export async function appendAudit(trx: DbOrTrx, input: AuditInput): Promise<number> {
  if (!trx.isTransaction) throw new Error('appendAudit must be called inside a transaction');
  const key = writerKeyring().active;
  // Without a key the event could only be hashed the forgeable way: refuse the write instead.
  if (key === undefined) throw new Error('no audit key configured (AUDIT_KEY / AUDIT_KEY_FILE is empty)');
  const head = await lockAuditHead(trx);
  const seq = head.lastSeq + 1;
  const row: Omit<AuditRow, 'hash'> = {
    seq,
    at: new Date().toISOString(),
    actor_id: input.actorId,
    action: input.action,
    entity_type: input.entityType,
    entity_id: input.entityId,
    task_id: input.taskId ?? null,
    before_json: input.before === undefined || input.before === null ? null : canonicalJson(input.before),
    after_json: input.after === undefined || input.after === null ? null : canonicalJson(input.after),
    prev_hash: head.lastHash,
    kid: key.kid,
  };
  const hash = hashAuditRowKeyed(row, key.key);
  await insertAuditEvent(trx, { ...row, hash });
  await updateAuditHead(trx, seq, hash);
  return seq;
}

