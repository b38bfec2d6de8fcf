import type { DbOrTrx } from '../../db/database.ts';
import {
  countThrottleFailure,
  deleteStaleThrottleRows,
  deleteThrottleRow,
  findThrottleRows,
  setThrottleBlock,
} from './login-throttle.repository.ts';

// The sign-in throttle (docs/decisions/0001-api-and-auth-contract.md, "Login"). Failures are
// counted per (client address, typed account name) and per client address; past a free allowance
// each further attempt must wait 2, 4, 8 … seconds (at most MAX_DELAY_SECONDS) and is answered 429
// with Retry-After, without looking at the password. The account name need not exist: the count,
// the answer and the work done are the same either way, so the throttle reveals nothing, and a
// storm from one address delays only that address, never the account's owner elsewhere.

/** Failures from one address on one account name before each further attempt there waits. */
export const ACCOUNT_FREE_FAILURES = 5;
/** An account name's count is forgotten after this long without a failure on it (and at a success). */
export const ACCOUNT_QUIET_MINUTES = 60;
/**
 * Failures from one address, all names together, per ADDRESS_WINDOW_MINUTES before the whole
 * address waits. Generous on purpose: a bureau behind one NAT address signs in as one client.
 */
export const ADDRESS_FREE_FAILURES = 100;
export const ADDRESS_WINDOW_MINUTES = 15;
/** The longest wait between attempts. */
export const MAX_DELAY_SECONDS = 15 * 60;
/** Rows with no failure for this long (and no block running) are deleted. */
const STALE_HOURS = 24;

/** The wait after `failures` failures with `free` allowed: 0, then 2^1, 2^2 … seconds, capped. */
export function throttleDelaySeconds(failures: number, free: number): number {
  if (failures < free) return 0;
  return Math.min(2 ** Math.min(failures - free + 1, 30), MAX_DELAY_SECONDS);
}

/** The key of a typed account name: `Admin ` and `admin` are one name to the throttle. */
export function throttleName(username: string): string {
  return username.normalize('NFKC').trim().toLowerCase();
}

/** The key of a client address: an IPv4 client seen through an IPv6 socket is the IPv4 address. */
export function throttleAddress(ip: string): string {
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip) ? ip.slice(7) : ip;
}

const minutesBefore = (now: Date, minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();
const secondsAfter = (now: Date, seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();

/** Seconds this address must still wait before trying `name` again (0: go ahead). */
export async function loginWaitSeconds(db: DbOrTrx, address: string, name: string, now: Date): Promise<number> {
  let until = 0;
  for (const row of await findThrottleRows(db, address, name)) {
    if (row.blocked_until) until = Math.max(until, Date.parse(row.blocked_until));
  }
  const ms = until - now.getTime();
  return ms > 0 ? Math.ceil(ms / 1000) : 0;
}

/** Counts a failed sign-in; returns the waits it started (0 when none) for the name and the address. */
export async function recordLoginFailure(
  db: DbOrTrx,
  address: string,
  name: string,
  now: Date,
): Promise<{ nameDelay: number; addressDelay: number }> {
  const iso = now.toISOString();
  let nameDelay = 0;
  // An empty name is no account at all; the address count still holds it.
  if (name !== '') {
    const failures = await countThrottleFailure(db, {
      address,
      username: name,
      now: iso,
      forgetBefore: minutesBefore(now, ACCOUNT_QUIET_MINUTES),
      forgetBy: 'quiet',
    });
    nameDelay = throttleDelaySeconds(failures, ACCOUNT_FREE_FAILURES);
    if (nameDelay > 0) await setThrottleBlock(db, address, name, secondsAfter(now, nameDelay));
  }
  const addressFailures = await countThrottleFailure(db, {
    address,
    username: '',
    now: iso,
    forgetBefore: minutesBefore(now, ADDRESS_WINDOW_MINUTES),
    forgetBy: 'window',
  });
  const addressDelay = throttleDelaySeconds(addressFailures, ADDRESS_FREE_FAILURES);
  if (addressDelay > 0) await setThrottleBlock(db, address, '', secondsAfter(now, addressDelay));
  return { nameDelay, addressDelay };
}

/**
 * A success forgets this address's failures on this name (not the address's own count: one valid
 * account must not buy an address fresh guesses at others), and sweeps stale rows away.
 */
export async function recordLoginSuccess(db: DbOrTrx, address: string, name: string, now: Date): Promise<void> {
  if (name !== '') await deleteThrottleRow(db, address, name);
  await deleteStaleThrottleRows(db, minutesBefore(now, STALE_HOURS * 60), now.toISOString());
}
