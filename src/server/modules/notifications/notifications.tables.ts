/** The notifications module's tables (in-app notifications and the delivery outbox); merged into db/database.types.ts `Database`. */
export interface NotificationsTables {
  notifications: NotificationsTable;
  outbox: OutboxTable;
}

export interface NotificationsTable {
  id: string;
  user_id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  read_at: string | null;
  dedupe_key: string | null;
  created_at: string;
}

export interface OutboxTable {
  id: string;
  /** email | sms */
  channel: string;
  recipient: string;
  subject: string;
  body: string;
  /** pending | sent | failed */
  status: string;
  attempts: number;
  last_error: string | null;
  notification_id: string | null;
  created_at: string;
  updated_at: string;
}
