import { z } from 'zod';
import { LIMITS } from '../limits.ts';

/** App-generated ids (UUID v4 text): portable across SQLite and PostgreSQL. */
export const Id = z.string().uuid();
export const IdParams = z.object({ id: Id });

/**
 * Optimistic concurrency: every mutable row carries a version; updates must send the one they read.
 * At most 2^31 - 2, because an update writes version + 1 into a 32-bit integer column (PostgreSQL).
 */
export const Version = z.number().int().min(1).max(2_147_483_646);

// A day of the Gregorian calendar, 1900-01-01 … 2999-12-31, as YYYY-MM-DD. The whole rule is in
// the pattern (month lengths, leap years: every 4th year except 1900/2100/2200/2300/2500/2600/2700/
// 2900) rather than in a refine, so the OpenAPI document states it exactly and clients and the API
// fuzzer generate only real days. 2018-02-30 or 2018-13-01 would otherwise pass a shape check and
// reach `new Date` in a service as "Invalid time value" (a 500), or be stored as a day that never was.
const YEAR = '(?:19|2\\d)\\d\\d';
const LEAP_YEAR = '(?:(?:19|2\\d)(?:0[48]|[2468][048]|[13579][26])|2000|2400|2800)';
const MONTH_DAY = '(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2[0-8]))';
/** The source of CalendarDate's pattern (for tools that generate dates from the OpenAPI document). */
export const CALENDAR_DATE_PATTERN = `^(?:${YEAR}-${MONTH_DAY}|${LEAP_YEAR}-02-29)$`;

/**
 * The one date type of every request and response: a real calendar day, YYYY-MM-DD, 1900–2999.
 * Refuses 2018-02-30, 2018-13-01 and 0000-00-00 with "不是有效日期：…".
 */
export const CalendarDate = z.string().regex(new RegExp(CALENDAR_DATE_PATTERN), {
  error: (issue) => `不是有效日期：${String(issue.input).slice(0, 40)}（应为 1900–2999 年的真实日期，格式 YYYY-MM-DD）`,
});
export type CalendarDate = z.infer<typeof CalendarDate>;

/** True when `value` is a CalendarDate (for code that must drop, not refuse, a bad date: URL filters). */
export function isCalendarDate(value: unknown): value is string {
  return CalendarDate.safeParse(value).success;
}
export const IsoDateTime = z.string();

export const Name = z.string().trim().min(1).max(LIMITS.nameChars);
export const Text = z.string().max(LIMITS.textChars);

export const Page = z.object({
  limit: z.coerce.number().int().min(1).max(LIMITS.pageSizeMax).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const Span = z.tuple([z.number().int().min(0), z.number().int().min(0)]);

/** RFC 9457 problem details, as every error response. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  code: z.string(),
  errors: z
    .array(
      z.object({
        path: z.string(),
        message: z.string(),
        /** The validation issue (zod's code: too_big, too_small, invalid_type, …), for the UI's own words. */
        issue: z.string().optional(),
        /** The bound a too_big / too_small issue broke. */
        limit: z.number().optional(),
        /** What was checked (number, string, array) or expected (for invalid_type). */
        origin: z.string().optional(),
        /** A named rule of a custom issue (a scheme rule, src/shared/scheme-issues.ts) and its values. */
        rule: z.string().optional(),
        values: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
      }),
    )
    .optional(),
  /** For 409 version conflicts: the row as it is now. */
  current: z.unknown().optional(),
});
export type Problem = z.infer<typeof Problem>;

export const Ok = z.object({ ok: z.literal(true) });
