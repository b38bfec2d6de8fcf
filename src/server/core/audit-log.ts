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

/** The installation's chain: organisations, users, settings, audit switches (ADR 0005). */
export const GLOBAL_CHAIN = 'global';

/** The chain of one plan's events (the unit a city's tenancy will own, issue 12). */
export function planChain(planId: string): string {
  return `plan:${planId}`;
}

/**
 * Locks one chain's head and reads it. On PostgreSQL the row is locked until the transaction ends,
 * so concurrent writers of the same chain queue here instead of both linking to the same previous
 * hash; writers of other chains lock other rows. SQLite has one writer at a time already (and
 * rejects FOR UPDATE). A chain without a head row reads as empty.
 */
export async function lockAuditHead(trx: DbOrTrx, chain: string = GLOBAL_CHAIN): Promise<{ lastSeq: number; lastHash: string }> {
  const row = await trx
    .selectFrom('audit_head')
    .select(['last_seq', 'last_hash'])
    .where('chain', '=', chain)
    .$if(isPostgres(trx), (qb) => qb.forUpdate())
    .executeTakeFirst();
  return row === undefined ? { lastSeq: 0, lastHash: GENESIS_HASH } : { lastSeq: Number(row.last_seq), lastHash: row.last_hash };
}

/** One chain's head without locking (empty when the chain has no head row). */
export async function readAuditHead(db: DbOrTrx, chain: string = GLOBAL_CHAIN): Promise<{ lastSeq: number; lastHash: string }> {
  const row = await db.selectFrom('audit_head').select(['last_seq', 'last_hash']).where('chain', '=', chain).executeTakeFirst();
  return row === undefined ? { lastSeq: 0, lastHash: GENESIS_HASH } : { lastSeq: Number(row.last_seq), lastHash: row.last_hash };
}

/**
 * A version stamp of the chains `chains`: their heads' seq numbers, in chain order. Every write
 * appends to the chain of its plan or to the installation's (ADR 0005) in its own transaction, so
 * the stamp changes with every committed write that a read of those plans can depend on
 * (core/read-cache.ts). One primary-key lookup per chain.
 */
export async function readAuditStamp(db: DbOrTrx, chains: readonly string[]): Promise<string> {
  if (chains.length === 0) return '';
  const rows = await db
    .selectFrom('audit_head')
    .select(['chain', 'last_seq'])
    .where('chain', 'in', [...chains])
    .orderBy('chain')
    .execute();
  return rows.map((r) => `${r.chain}#${Number(r.last_seq)}`).join(',');
}

/**
 * The seq numbers of the heads of `chains` (0 for a chain with no head yet): the per-plan version
 * stamps of core/read-cache.ts cachedPerPlan, read in one query for all the plans of a read.
 */
export async function readAuditHeads(db: DbOrTrx, chains: readonly string[]): Promise<Map<string, number>> {
  const heads = new Map(chains.map((c) => [c, 0]));
  if (chains.length === 0) return heads;
  const rows = await db
    .selectFrom('audit_head')
    .select(['chain', 'last_seq'])
    .where('chain', 'in', [...chains])
    .execute();
  for (const r of rows) heads.set(r.chain, Number(r.last_seq));
  return heads;
}

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
  /**
   * The chain to append to. Usually derived (ADR 0005): `planId`, a plan entity, a `planId` in
   * before/after, the task's plan, else the installation chain.
   */
  chain?: string;
  /** The plan the event belongs to, when the caller knows it (saves the task lookup). */
  planId?: string | null;
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

function eventOf(row: Omit<AuditRow, 'hash' | 'chain'>): Record<string, unknown> {
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
export function hashAuditRow(row: Omit<AuditRow, 'hash' | 'chain'>): string {
  return createHash('sha256')
    .update(row.prev_hash + canonicalJson(eventOf(row)))
    .digest('hex');
}

/**
 * The keyed hash of one row: HMAC-SHA256 with a key kept outside the database, over prev_hash and
 * the event's columns including its kid, so only a key holder can make a hash that verifies.
 */
export function hashAuditRowKeyed(row: Omit<AuditRow, 'hash' | 'chain'> & { chain?: string }, key: Buffer): string {
  // The installation chain keeps format /1, so events written before chains were scoped verify
  // unchanged; a scoped chain's events also cover the chain id (format /2): an event cannot be
  // moved into another chain with its hash intact.
  if (row.chain === undefined || row.chain === GLOBAL_CHAIN) {
    return hmacHex(key, `luoshi-audit-event/1\n${row.prev_hash}${canonicalJson({ ...eventOf(row), kid: row.kid })}`);
  }
  return hmacHex(key, `luoshi-audit-event/2\n${row.prev_hash}${canonicalJson({ ...eventOf(row), kid: row.kid, chain: row.chain })}`);
}

/** An event prepared at append time (its `at` and JSON fixed then), waiting for its chain slot. */
interface PendingEvent {
  input: AuditInput;
  at: string;
  beforeJson: string | null;
  afterJson: string | null;
}

// Events appended inside a writeTx wait here until just before it commits (see flushAuditBuffer).
const buffers = new WeakMap<object, PendingEvent[]>();

/** Rows per INSERT: 13 columns × 500 stays far below SQLite's and PostgreSQL's parameter limits. */
const INSERT_CHUNK = 500;

function activeKey(): { kid: string; key: Buffer } {
  const key = writerKeyring().active;
  // Without a key the event could only be hashed the forgeable way: refuse the write instead.
  if (key === undefined) throw new Error('no audit key configured (AUDIT_KEY / AUDIT_KEY_FILE is empty)');
  return key;
}

function prepare(input: AuditInput): PendingEvent {
  return {
    input,
    at: new Date().toISOString(),
    beforeJson: input.before === undefined || input.before === null ? null : canonicalJson(input.before),
    afterJson: input.after === undefined || input.after === null ? null : canonicalJson(input.after),
  };
}

function planIdIn(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const id = (value as Record<string, unknown>).planId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** The task an event's JSON names: its `taskId`, or its first row's (a 督办 notice's rows). */
function taskIdIn(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.taskId === 'string' && v.taskId !== '') return v.taskId;
  const first = Array.isArray(v.rows) ? (v.rows[0] as Record<string, unknown> | undefined) : undefined;
  return first !== undefined && typeof first?.taskId === 'string' ? first.taskId : undefined;
}

/**
 * The chain of each event (ADR 0005), set-based: one lookup of the tasks' plans for all events
 * that name only a task. Anything that belongs to no plan goes to the installation chain.
 */
async function resolveChains(trx: DbOrTrx, events: PendingEvent[]): Promise<string[]> {
  const chains: (string | undefined)[] = events.map(({ input }) => {
    if (input.chain !== undefined) return input.chain;
    const plan =
      input.planId ?? (input.entityType === 'plan' ? input.entityId : undefined) ?? planIdIn(input.after) ?? planIdIn(input.before);
    return plan === undefined || plan === null ? undefined : planChain(plan);
  });
  const taskOf = (i: number): string | null => {
    const { input } = events[i]!;
    return (
      input.taskId ?? (input.entityType === 'task' ? input.entityId : undefined) ?? taskIdIn(input.after) ?? taskIdIn(input.before) ?? null
    );
  };
  const taskIds = [...new Set(chains.flatMap((c, i) => (c === undefined && taskOf(i) !== null ? [taskOf(i)!] : [])))];
  const planOfTask = new Map<string, string>();
  for (let i = 0; i < taskIds.length; i += INSERT_CHUNK) {
    const rows = await trx
      .selectFrom('tasks')
      .select(['id', 'plan_id'])
      .where('id', 'in', taskIds.slice(i, i + INSERT_CHUNK))
      .execute();
    for (const r of rows) planOfTask.set(r.id, r.plan_id);
  }
  return chains.map((c, i) => {
    if (c !== undefined) return c;
    const task = taskOf(i);
    const plan = task === null ? undefined : planOfTask.get(task);
    return plan === undefined ? GLOBAL_CHAIN : planChain(plan);
  });
}

/**
 * Writes prepared events set-based: per chain touched, the head is locked once (chains in sorted
 * order, so two writers never deadlock on heads), all rows go in multi-row INSERTs, and the head
 * moves once. Returns each event's chain and seq, in input order.
 */
async function writeEvents(trx: DbOrTrx, events: PendingEvent[]): Promise<{ chain: string; seq: number }[]> {
  if (events.length === 0) return [];
  const key = activeKey();
  const chainOf = await resolveChains(trx, events);
  const chains = [...new Set(chainOf)].sort();
  const pg = isPostgres(trx);
  const lockHeads = (names: string[]) =>
    trx
      .selectFrom('audit_head')
      .select(['chain', 'last_seq', 'last_hash'])
      .where('chain', 'in', names)
      .orderBy('chain')
      .$if(pg, (qb) => qb.forUpdate())
      .execute();
  const heads = new Map((await lockHeads(chains)).map((h) => [h.chain, { seq: Number(h.last_seq), hash: h.last_hash }]));
  const missing = chains.filter((c) => !heads.has(c));
  if (missing.length > 0) {
    // A chain's first event creates its head; a concurrent first writer of the same chain waits
    // on the unique key here, and both then lock the one row.
    await trx
      .insertInto('audit_head')
      .values(missing.map((chain) => ({ chain, id: chain === GLOBAL_CHAIN ? 1 : null, last_seq: 0, last_hash: GENESIS_HASH })))
      .onConflict((oc) => oc.column('chain').doNothing())
      .execute();
    for (const h of await lockHeads(missing)) heads.set(h.chain, { seq: Number(h.last_seq), hash: h.last_hash });
  }
  const rows: AuditRow[] = [];
  const out: { chain: string; seq: number }[] = [];
  events.forEach((ev, i) => {
    const chain = chainOf[i]!;
    const head = heads.get(chain)!;
    const row: Omit<AuditRow, 'hash'> = {
      chain,
      seq: head.seq + 1,
      at: ev.at,
      actor_id: ev.input.actorId,
      action: ev.input.action,
      entity_type: ev.input.entityType,
      entity_id: ev.input.entityId,
      task_id: ev.input.taskId ?? null,
      before_json: ev.beforeJson,
      after_json: ev.afterJson,
      prev_hash: head.hash,
      kid: key.kid,
    };
    const hash = hashAuditRowKeyed(row, key.key);
    rows.push({ ...row, hash });
    heads.set(chain, { seq: row.seq, hash });
    out.push({ chain, seq: row.seq });
  });
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await trx
      .insertInto('audit_events')
      .values(rows.slice(i, i + INSERT_CHUNK))
      .execute();
  }
  for (const chain of chains) {
    const h = heads.get(chain)!;
    await trx.updateTable('audit_head').set({ last_seq: h.seq, last_hash: h.hash }).where('chain', '=', chain).execute();
  }
  return out;
}

/**
 * Starts buffering the audit events of a write transaction (writeTx calls it): appends then cost
 * no round trip, and the chain heads are locked only for the moment of the flush.
 */
export function beginAuditBuffer(trx: DbOrTrx): void {
  buffers.set(trx, []);
}

/**
 * Writes the buffered events of the transaction, set-based, just before it commits (writeTx calls
 * it last). The head locks are the transaction's last locks, taken in chain order: a writer never
 * holds a head while waiting for a data row, so writers cannot deadlock.
 */
export async function flushAuditBuffer(trx: DbOrTrx): Promise<void> {
  const list = buffers.get(trx);
  buffers.delete(trx);
  if (list !== undefined && list.length > 0) await writeEvents(trx, list);
}

/**
 * Appends one event to its hash chain (ADR 0005 for which chain). Must run inside the writer's
 * transaction, so the change and its audit record commit (or roll back) together. Inside writeTx
 * the event is written with the transaction's others just before the commit; in another
 * transaction it is written at once. The hash is keyed with the process's active audit key.
 */
export async function appendAudit(trx: DbOrTrx, input: AuditInput): Promise<void> {
  await appendAuditBatch(trx, [input]);
}

/**
 * Appends many events at once: one INSERT per 500 rows and one head update per chain (not a lock,
 * an insert and an update per event). For bulk writes such as a period close or a status
 * recompute: collect the events in an array and call this once. Inside writeTx the events join the
 * transaction's commit-time flush (order kept); elsewhere they are written now.
 */
export async function appendAuditBatch(trx: DbOrTrx, inputs: readonly AuditInput[]): Promise<void> {
  if (!trx.isTransaction) throw new Error('appendAudit must be called inside a transaction');
  activeKey();
  const prepared = inputs.map(prepare);
  const buffer = buffers.get(trx);
  if (buffer !== undefined) buffer.push(...prepared);
  else await writeEvents(trx, prepared);
}

/**
 * Appends events now, even inside writeTx (after the events buffered so far, keeping their
 * order), and returns where each landed. For the few callers that need the seq at once.
 */
export async function appendAuditNow(trx: DbOrTrx, inputs: readonly AuditInput[]): Promise<{ chain: string; seq: number }[]> {
  if (!trx.isTransaction) throw new Error('appendAudit must be called inside a transaction');
  activeKey();
  const earlier = buffers.get(trx) ?? [];
  if (buffers.has(trx)) buffers.set(trx, []);
  const placed = await writeEvents(trx, [...earlier, ...inputs.map(prepare)]);
  return placed.slice(earlier.length);
}
