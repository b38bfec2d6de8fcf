/** The auth module's table (the sign-in throttle); merged into db/database.types.ts `Database`. */
export interface AuthTables {
  /** Failed sign-ins per (client address, typed account name) and per address (username ''). */
  login_throttle: LoginThrottleTable;
}

export interface LoginThrottleTable {
  address: string;
  /** The typed account name, trimmed and lower-cased; '' for the row counting the whole address. */
  username: string;
  failures: number;
  window_started_at: string;
  last_failure_at: string;
  blocked_until: string | null;
}
