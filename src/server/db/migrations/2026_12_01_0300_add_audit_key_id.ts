import type { Kysely } from 'kysely';

// Keyed audit hashing (docs/decisions/0002-audit-anchoring.md): each event records the id of the
// HMAC key its hash was made with. Events already in the log keep kid = null and verify with the
// plain sha256 they were written with; the first keyed event after them is the switch point.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_events').addColumn('kid', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_events').dropColumn('kid').execute();
}
