import type { AuditEvent } from '../../../shared/schemas/plan.schema.ts';

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

// Bookkeeping that changes on every write and tells a reader nothing.
const IGNORED = new Set(['id', 'version', 'updatedAt', 'createdAt', 'updated_at', 'created_at', 'taskId', 'task_id', 'planId', 'plan_id']);

const asRecord = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/**
 * The fields an audit event changed: for an update, those whose value differs; for a create or
 * delete, every field of the side that exists. Keys in first-seen order.
 */
export function diffAuditEvent(event: Pick<AuditEvent, 'before' | 'after'>): FieldChange[] {
  const before = asRecord(event.before);
  const after = asRecord(event.after);
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !IGNORED.has(k));
  return keys
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((field) => ({ field, before: before[field], after: after[field] }));
}

/** Fields worth a line when a unit, deadline or target is added or removed (not a task's own import). */
const SUMMARY_FIELDS = ['orgName', 'role', 'date', 'text', 'jurisdictionLabel', 'metric', 'comparator', 'value', 'unit'];

/** For a create or delete of a task's part: which side exists, and its telling fields in order. */
export function summariseAuditEvent(
  event: Pick<AuditEvent, 'before' | 'after' | 'entityType'>,
): { kind: 'created' | 'deleted'; fields: [string, unknown][] } | null {
  if (event.entityType === 'task') return null;
  const kind = event.before == null && event.after != null ? 'created' : event.after == null && event.before != null ? 'deleted' : null;
  if (!kind) return null;
  const record = asRecord(kind === 'created' ? event.after : event.before);
  const fields = SUMMARY_FIELDS.filter((k) => record[k] !== undefined && record[k] !== null && record[k] !== '').map(
    (k) => [k, record[k]] as [string, unknown],
  );
  return fields.length ? { kind, fields } : null;
}
