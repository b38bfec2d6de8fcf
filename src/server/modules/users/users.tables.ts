import type { Selectable } from 'kysely';
import type { UserRole } from '../../../shared/enums.ts';

/** The users module's tables (accounts and their sessions); merged into db/database.types.ts `Database`. */
export interface UsersTables {
  users: UsersTable;
  sessions: SessionsTable;
}

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  org_id: string;
  role: UserRole;
  password_hash: string;
  is_active: number;
  failed_logins: number;
  locked_until: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export type UserRow = Selectable<UsersTable>;
