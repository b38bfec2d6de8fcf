/** The audit log's tables (owned by core/audit-log.ts). */

/** The tables of the hash-chained audit log; merged into db/database.types.ts `Database`. */
export interface AuditTables {
  audit_events: AuditEventsTable;
  audit_head: AuditHeadTable;
}

export interface AuditEventsTable {
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

/** The single row that holds the chain's head (seq and hash of the last event). */
export interface AuditHeadTable {
  id: number;
  last_seq: number;
  last_hash: string;
}
