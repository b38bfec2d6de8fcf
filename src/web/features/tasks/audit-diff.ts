import type { AuditEvent } from '../../../shared/schemas/plan.schema.ts';
import { formatDate, formatDateTime, formatNumber, type Locale, type MessageKey, type Translate } from '../../lib/i18n.ts';

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
const SUMMARY_FIELDS = [
  'orgName',
  'role',
  'date',
  'text',
  'jurisdictionLabel',
  'metric',
  'comparator',
  'value',
  'unit',
  'completionPercent',
  'narrative',
  'filename',
];

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

/** One history event in words, as a ledger keeper writes it. */
export interface HistoryEntry {
  /** What happened (提交进度报告), never the raw action id. */
  action: string;
  /** Who did it, by name (系统 for the server's own jobs). */
  who: string;
  /** When, in Beijing local time. */
  when: string;
  /** "完成值：3 → 5", one per changed field; for a part added or removed, its telling fields. */
  lines: string[];
  /** For a part added or removed: which. */
  kind: 'created' | 'deleted' | 'updated' | 'other';
}

export interface HistoryContext {
  t: Translate;
  locale: Locale;
  /** Display names of the users the events name by id (TaskHistory.names). */
  names: Record<string, string>;
}

// A report's or a snapshot's `value` is what a county reported (完成值), not the plan's target (目标值).
const REPORTED_ENTITIES = new Set(['progress_report', 'period_snapshot']);
const REPORTED_FIELD_LABEL: Record<string, MessageKey> = {
  value: 'history.field.reportedValue',
  completionPercent: 'history.field.reportedPercent',
  status: 'history.field.reportStatus',
  reportedStatus: 'history.field.status',
  narrative: 'history.field.progressText',
};
const USER_FIELDS = new Set(['reviewedBy', 'actorId', 'issuedBy', 'closedBy', 'createdBy']);
const DATE_TIME_FIELDS = /At$/;
// Ids of records the history already names another way (the unit's name, the task itself).
const HIDDEN_FIELDS = new Set([
  'orgId',
  'periodId',
  'targetId',
  'reportId',
  'amendmentId',
  'snapshotId',
  'evidenceId',
  'storagePath',
  'sha256',
]);

function lookup(t: Translate, key: string): string | null {
  const text = t(key as MessageKey);
  return text === key ? null : text;
}

/** The field's name in words for this kind of record; null hides a field there is no word for. */
export function historyFieldLabel(entityType: string, field: string, t: Translate): string | null {
  if (HIDDEN_FIELDS.has(field)) return null;
  if (REPORTED_ENTITIES.has(entityType) && REPORTED_FIELD_LABEL[field]) return t(REPORTED_FIELD_LABEL[field]);
  return lookup(t, `field.${field}`) ?? lookup(t, `history.field.${field}`);
}

/** A field's value in words: statuses and roles translated, times local, people named. */
export function historyValue(entityType: string, field: string, value: unknown, ctx: HistoryContext): string {
  const { t, locale, names } = ctx;
  if (value === undefined || value === null || value === '') return t('history.empty');
  if (typeof value === 'string') {
    if (field === 'status' && REPORTED_ENTITIES.has(entityType))
      return lookup(t, `history.reportStatus.${value}`) ?? lookup(t, `status.${value}`) ?? value;
    if (field === 'status' || field === 'reportedStatus') return lookup(t, `status.${value}`) ?? value;
    if (field === 'role') return lookup(t, `assignmentRole.${value}`) ?? value;
    if (field === 'jurisdictionLevel') return lookup(t, `jurisdictionLevel.${value}`) ?? value;
    if (USER_FIELDS.has(field)) return names[value] ?? t('history.unknownUser');
    if (field === 'date' || /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value, locale);
    if (DATE_TIME_FIELDS.test(field)) return formatDateTime(value, locale);
    return value.length > 160 ? `${value.slice(0, 160)}…` : value;
  }
  if (typeof value === 'number') return formatNumber(value, locale);
  if (typeof value === 'boolean') return t(value ? 'history.yes' : 'history.no');
  if (Array.isArray(value)) return t('history.count', { count: value.length });
  return t('history.count', { count: Object.keys(value as object).length });
}

/** The event's action in words; an action without a word says 其他操作, never its id. */
export function historyAction(action: string, t: Translate): string {
  return lookup(t, `audit.${action}`) ?? lookup(t, `history.action.${action}`) ?? t('history.action.unknown');
}

/** One audit event as the ledger's 修改记录 shows it: who, when, what changed from → to, in words. */
export function describeHistoryEvent(event: AuditEvent, ctx: HistoryContext): HistoryEntry {
  const { t, locale, names } = ctx;
  const who = event.actorName ?? (event.actorId ? (names[event.actorId] ?? t('history.unknownUser')) : t('history.system'));
  const base = { action: historyAction(event.action, t), who, when: formatDateTime(event.at, locale) };
  const value = (field: string, v: unknown) => historyValue(event.entityType, field, v, ctx);
  if (event.before != null && event.after != null) {
    const lines: string[] = [];
    for (const change of diffAuditEvent(event)) {
      const field = historyFieldLabel(event.entityType, change.field, t);
      if (!field) continue;
      if (change.before === undefined || change.before === null || change.before === '') {
        lines.push(t('history.set', { field, to: value(change.field, change.after) }));
      } else {
        lines.push(t('history.changed', { field, from: value(change.field, change.before), to: value(change.field, change.after) }));
      }
    }
    return { ...base, lines, kind: 'updated' };
  }
  const summary = summariseAuditEvent(event);
  if (!summary) return { ...base, lines: [], kind: 'other' };
  const lines = summary.fields.flatMap(([f, v]) => {
    const field = historyFieldLabel(event.entityType, f, t);
    return field ? [t('history.set', { field, to: value(f, v) })] : [];
  });
  return { ...base, lines, kind: summary.kind };
}
