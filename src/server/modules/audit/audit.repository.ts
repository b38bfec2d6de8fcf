import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { type AuditRow, isPostgres } from '../../core/audit-log.ts';
import type { DbOrTrx } from '../../db/database.ts';
import type { AuditEventsTable, Database } from '../../db/database.types.ts';

/** Every chain's head, in chain order: what a checkpoint records. */
export async function listAuditHeads(db: DbOrTrx): Promise<{ chain: string; lastSeq: number; lastHash: string }[]> {
  const rows = await db.selectFrom('audit_head').select(['chain', 'last_seq', 'last_hash']).orderBy('chain').execute();
  return rows.map((r) => ({ chain: r.chain, lastSeq: Number(r.last_seq), lastHash: r.last_hash }));
}

/** Every chain that has a head or an event (an event without a head is itself a break). */
export async function listAuditChains(db: DbOrTrx): Promise<string[]> {
  const rows = await db.selectFrom('audit_head').select('chain').union(db.selectFrom('audit_events').select('chain').distinct()).execute();
  return [...new Set(rows.map((r) => r.chain))].sort();
}

/** One event of a chain by its seq (undefined when deleted or never written). */
export async function findAuditEventBySeq(db: DbOrTrx, chain: string, seq: number): Promise<AuditRow | undefined> {
  return db.selectFrom('audit_events').selectAll().where('chain', '=', chain).where('seq', '=', seq).executeTakeFirst();
}

/** Keyset page of one chain's events in chain order, for verification without loading the whole log. */
export async function listAuditPage(db: DbOrTrx, chain: string, afterSeq: number, limit: number): Promise<AuditRow[]> {
  return db
    .selectFrom('audit_events')
    .selectAll()
    .where('chain', '=', chain)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** An audit event with its actor's display name (filled by audit.service.ts from users' service). */
export interface AuditRowWithActor extends AuditRow {
  actor_name: string | null;
}

/** Builds a condition on the events (table alias `a`); `field` reads a key of their before/after JSON. */
export type AuditWhere = (
  eb: ExpressionBuilder<Database & { a: AuditEventsTable }, 'a'>,
  field: (column: 'before_json' | 'after_json', key: string) => Expression<string | null>,
) => Expression<SqlBool>;

export interface AuditFilter {
  taskId?: string;
  entityType?: string;
  entityId?: string;
  actorId?: string;
  /** Only the events this condition keeps (a reader's visibility), applied before limit/offset. */
  where?: AuditWhere;
  limit: number;
  offset: number;
}

/**
 * The string value of one key of an event's JSON column (null when absent). Never
 * fails on a row that is not JSON (an edited row must not break every reader's history; verify
 * reports it): SQLite parses only valid JSON; PostgreSQL 15 has no such test, so it reads the
 * first `"key":"value"` pair from the canonical text, which has no whitespace between tokens
 * (callers ask for keys that occur once, at the top).
 */
function jsonField(db: DbOrTrx, column: 'before_json' | 'after_json', key: string): Expression<string | null> {
  if (!/^\w+$/.test(key)) throw new Error(`jsonField: unsupported key ${key}`);
  const ref = sql.ref(`a.${column}`);
  return isPostgres(db)
    ? sql<string | null>`substring(${ref} from ${`"${key}":"([^"]*)"`})`
    : sql<string | null>`(case when json_valid(${ref}) then json_extract(${ref}, ${`$.${key}`}) end)`;
}

export async function listAuditEvents(db: DbOrTrx, f: AuditFilter): Promise<AuditRow[]> {
  return (
    db
      .selectFrom('audit_events as a')
      // The actor's name comes from users' service (audit.service.ts), not a join to its table.
      .selectAll('a')
      .$if(f.taskId !== undefined, (qb) => qb.where('a.task_id', '=', f.taskId!))
      .$if(f.entityType !== undefined, (qb) => qb.where('a.entity_type', '=', f.entityType!))
      .$if(f.entityId !== undefined, (qb) => qb.where('a.entity_id', '=', f.entityId!))
      .$if(f.actorId !== undefined, (qb) => qb.where('a.actor_id', '=', f.actorId!))
      .$if(f.where !== undefined, (qb) => qb.where((eb) => f.where!(eb as any, (column, key) => jsonField(db, column, key))))
      // Chains are numbered apart, so across chains the time orders; within one, the seq.
      .orderBy('a.at', 'desc')
      .orderBy('a.seq', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute()
  );
}
