import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { z } from 'zod';
import type { AuditEvent, AuditVerifyResult } from '../../../shared/schemas/plan.schema.ts';
import type { DbOrTrx } from '../../db/database.ts';
import type { Database } from '../../db/database.types.ts';
import {
  type AuditFilter,
  type AuditRow,
  type AuditRowWithActor,
  type AuditWhere,
  insertAuditEvent,
  listAuditEvents,
  listAuditPage,
  lockAuditHead,
  readAuditHead,
  updateAuditHead,
} from './audit.repository.ts';

export type Trx = Transaction<Database>;
export type AuditEventDto = z.infer<typeof AuditEvent>;
export type AuditVerifyResultDto = z.infer<typeof AuditVerifyResult>;

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

/** The hash of one row: sha256(prev_hash + canonical JSON of the event's own columns). */
export function hashAuditRow(row: Omit<AuditRow, 'hash'>): string {
  const event = {
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
  return createHash('sha256')
    .update(row.prev_hash + canonicalJson(event))
    .digest('hex');
}

/**
 * Appends one event to the hash-chained audit log. Must run inside the writer's transaction, so
 * the change and its audit record commit (or roll back) together. Returns the event's seq.
 */
export async function appendAudit(trx: DbOrTrx, input: AuditInput): Promise<number> {
  if (!trx.isTransaction) throw new Error('appendAudit must be called inside a transaction');
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
  };
  const hash = hashAuditRow(row);
  await insertAuditEvent(trx, { ...row, hash });
  await updateAuditHead(trx, seq, hash);
  return seq;
}

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

const VERIFY_PAGE = 1000;

/**
 * Walks the whole chain and reports the first event that does not match: an edited row (hash
 * mismatch: its seq), a deleted row (seq gap: the missing seq; or a broken prev_hash link), or a
 * deleted tail (head ahead of the last row: the first missing seq).
 */
export async function verifyAuditChain(db: DbOrTrx): Promise<AuditVerifyResultDto> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  const broken = (seq: number, reason: string): AuditVerifyResultDto => ({ ok: false, checked, firstBrokenId: seq, reason });

  for (;;) {
    const page = await listAuditPage(db, expectedSeq - 1, VERIFY_PAGE);
    for (const row of page) {
      const seq = Number(row.seq);
      // Report the missing seq: that is where the chain was cut.
      if (seq !== expectedSeq) return broken(expectedSeq, `seq gap: event ${expectedSeq} is missing, next is ${seq} (events deleted)`);
      if (row.prev_hash !== prevHash) return broken(seq, 'prev_hash does not match the previous event (event deleted or replaced)');
      if (hashAuditRow(row) !== row.hash) return broken(seq, 'hash mismatch (event edited)');
      prevHash = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (page.length < VERIFY_PAGE) break;
  }

  const head = await readAuditHead(db);
  if (head.lastSeq !== checked) {
    return broken(checked + 1, `audit head is at seq ${head.lastSeq} but the log ends at ${checked} (events deleted)`);
  }
  if (head.lastHash !== prevHash) return broken(checked, 'audit head hash does not match the last event');
  return { ok: true, checked, firstBrokenId: null, reason: null };
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toDto(row: AuditRowWithActor): AuditEventDto {
  return {
    id: Number(row.seq),
    at: row.at,
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    before: parseJson(row.before_json),
    after: parseJson(row.after_json),
  };
}

/**
 * A task's history, newest first: events on the task and on its targets, deadlines, assignments
 * and reports. `where` keeps only the events the reader may see (filtered before the limit).
 */
export async function listAuditForTask(db: DbOrTrx, taskId: string, limit = 500, where?: AuditWhere): Promise<AuditEventDto[]> {
  const rows = await listAuditEvents(db, { taskId, where, limit, offset: 0 });
  return rows.map(toDto);
}

/** Audit events newest first, filtered by entity, task or actor. */
export async function listAudit(
  db: DbOrTrx,
  filter: Partial<Omit<AuditFilter, 'limit' | 'offset'>> & { limit?: number; offset?: number },
): Promise<AuditEventDto[]> {
  const rows = await listAuditEvents(db, { ...filter, limit: filter.limit ?? 100, offset: filter.offset ?? 0 });
  return rows.map(toDto);
}
