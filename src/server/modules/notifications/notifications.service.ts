import { randomUUID } from 'node:crypto';
import type { Notification } from '../../../shared/schemas/supervision.schema.ts';
import type { DbOrTrx } from '../../db/database.ts';
import type { NotificationsTable } from '../../db/database.types.ts';
import { AppError } from '../../core/app-error.ts';
import { writeTx } from '../../core/transaction.ts';
import type { Actor } from '../../core/actor.ts';
import { listActiveUsersOfOrgs } from '../users/users.service.ts';
import { recipientsWithinPlan } from './notifications.policy.ts';
import {
  countUnreadNotifications,
  findNotificationRow,
  insertNotificationOnce,
  insertNotificationRows,
  insertOutboxRows,
  listNotificationRows,
  markAllNotificationsRead,
  markNotificationRead,
} from './notifications.repository.ts';

export interface NotificationMessage {
  kind: string;
  title: string;
  body: string;
  link: string | null;
}

/**
 * The web route of an organisation's reports in a period (my reports, opened on the plan and
 * period), where reminders and review results send the user.
 */
export function reportsLink(planId: string, periodId: string): string {
  return `/reports?planId=${encodeURIComponent(planId)}&periodId=${encodeURIComponent(periodId)}`;
}

function toDto(row: NotificationsTable): Notification {
  return { id: row.id, kind: row.kind, title: row.title, body: row.body, link: row.link, readAt: row.read_at, createdAt: row.created_at };
}

// Users carry no e-mail address or phone yet: the outbox names the user, and the e-mail/SMS
// adapter resolves the address when it sends, so a changed address is still reached.
function outboxRow(notificationId: string, userId: string, message: NotificationMessage, at: string) {
  return {
    id: randomUUID(),
    channel: 'email',
    recipient: `user:${userId}`,
    subject: message.title,
    body: message.body,
    status: 'pending',
    attempts: 0,
    last_error: null,
    notification_id: notificationId,
    created_at: at,
    updated_at: at,
  };
}

/**
 * Notifies every active user of `orgIds` (in-app, plus one pending outbox e-mail each). Runs in the
 * caller's transaction so a notice and its notifications commit together. Returns how many users.
 * With `within.planId` (a message about a plan's rows), only organisations of that plan's tenant
 * are notified (notifications.policy.ts).
 */
export async function notifyOrgs(
  db: DbOrTrx,
  orgIds: readonly string[],
  message: NotificationMessage,
  within?: { planId: string },
): Promise<number> {
  const recipients = within ? await recipientsWithinPlan(db, [...new Set(orgIds)], within.planId) : [...new Set(orgIds)];
  const users = await listActiveUsersOfOrgs(db, recipients);
  const at = new Date().toISOString();
  const rows = users.map((u) => ({ id: randomUUID(), user_id: u.id, ...message, read_at: null, dedupe_key: null, created_at: at }));
  await insertNotificationRows(db, rows);
  await insertOutboxRows(
    db,
    rows.map((r) => outboxRow(r.id, r.user_id, message, at)),
  );
  return rows.length;
}

/**
 * Notifies one user once per `dedupeKey` (jobs that may run again the same day); true when this
 * call created the notification, false when it already existed.
 */
export async function notifyUserOnce(db: DbOrTrx, userId: string, dedupeKey: string, message: NotificationMessage): Promise<boolean> {
  const at = new Date().toISOString();
  const id = randomUUID();
  // The notification and its outbox row commit together, so an adapter never misses one.
  return writeTx(db, async (trx) => {
    const inserted = await insertNotificationOnce(trx, {
      id,
      user_id: userId,
      ...message,
      read_at: null,
      dedupe_key: dedupeKey,
      created_at: at,
    });
    if (inserted) await insertOutboxRows(trx, [outboxRow(id, userId, message, at)]);
    return inserted;
  });
}

/** The caller's own notifications, newest first, with the unread count. */
export async function listMyNotifications(db: DbOrTrx, actor: Actor, limit = 100): Promise<{ items: Notification[]; unread: number }> {
  const rows = await listNotificationRows(db, actor.userId, limit);
  return { items: rows.map(toDto), unread: await countUnreadNotifications(db, actor.userId) };
}

/**
 * Marks one of the caller's notifications read (idempotent). Another user's notification is
 * reported as not found, so ids cannot be probed. Not audited: reading is not a change to the
 * ledger, and the log would fill with clicks.
 */
export async function markRead(db: DbOrTrx, actor: Actor, id: string): Promise<Notification> {
  const row = await findNotificationRow(db, id);
  if (!row || row.user_id !== actor.userId) throw new AppError('not_found', 'notification not found');
  await markNotificationRead(db, id, new Date().toISOString());
  const after = await findNotificationRow(db, id);
  return toDto(after ?? row);
}

/**
 * Marks all the caller's unread notifications read (only theirs: the update is keyed on the
 * user). Not audited, like markRead: reading changes nothing in the ledger.
 */
export async function markAllRead(db: DbOrTrx, actor: Actor): Promise<{ marked: number }> {
  return { marked: await markAllNotificationsRead(db, actor.userId, new Date().toISOString()) };
}
