/**
 * Calendar dates as the offices live them: Asia/Shanghai (UTC+8, no daylight saving), whatever the
 * server's or the browser's zone. Shared by the server (periods, on-time checks, the ledger's
 * default day) and the web (the ledger toolbar, notice deadlines), so both count days alike. Pure,
 * no imports: the dashboard and ledger chunks load it without zod.
 */

// The offices work on Beijing time: a report sent at 23:30 on the due day is on time, although in
// UTC it is still mid-afternoon of that day, and one sent at 00:30 the next day is late.
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The calendar date in China (UTC+8, no daylight saving) at instant `at`, as YYYY-MM-DD. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** Today in Asia/Shanghai as YYYY-MM-DD: the offices' calendar, whatever the server's zone. */
export function todayInShanghai(now: Date = new Date()): string {
  return chinaDate(now);
}

/**
 * Adds `days` (may be negative) to a YYYY-MM-DD date (UTC arithmetic: calendar dates carry no time
 * zone). Callers pass CalendarDate-checked dates; anything else is a programming error, named here
 * rather than left to surface as the "Invalid time value" of Date#toISOString.
 */
export function addDays(date: string, days: number): string {
  const start = Date.parse(`${date}T00:00:00Z`);
  // Date.parse reads 2018-02-30 as 2 March: only a date that reads back unchanged is a real day.
  if (Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`addDays: not a calendar date: ${JSON.stringify(date).slice(0, 40)}`);
  }
  return new Date(start + days * 86_400_000).toISOString().slice(0, 10);
}
