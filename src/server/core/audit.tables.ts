/** The audit log's tables (owned by core/audit-log.ts). */

/** The tables of the hash-chained audit log; merged into db/database.types.ts `Database`. */
export interface AuditTables {
  audit_events: AuditEventsTable;
  audit_head: AuditHeadTable;
}

export interface AuditEventsTable {
  /** The chain the event belongs to: `global` (installation) or `plan:<plan id>`. */
  chain: string;
  /** Position in its chain, 1, 2, … (the event's id within the chain). */
  seq: number;
  at: string;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  task_id: string | null;
  before_json: string | null;
  after_json: string | null;
  prev_hash: string;
  hash: string;
  /** Id of the HMAC key the hash was made with; null for events from before keyed hashing (plain sha256). */
  kid: string | null;
}

/** One row per audit chain (docs/decisions/0005-scoped-audit-chains.md): its head's seq and hash; id is 1 for `global`, null otherwise. */
export interface AuditHeadTable {
  chain: string;
  id: number | null;
  last_seq: number;
  last_hash: string;
}
