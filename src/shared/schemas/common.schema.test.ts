import { describe, expect, it } from 'vitest';
import { addDays } from '../china-date.ts';
import { CALENDAR_DATE_PATTERN, CalendarDate, isCalendarDate } from './common.schema.ts';

/** The oracle: a YYYY-MM-DD string is a real day when the UTC calendar reads it back unchanged. */
function isRealDay(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  date.setUTCFullYear(y);
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && y >= 1900 && y <= 2999;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

describe('CalendarDate', () => {
  it('accepts month ends and 29 February exactly in leap years (every 4th, centuries only by 400)', () => {
    for (const ok of ['2018-01-31', '2018-02-28', '2018-03-31', '2018-04-30', '2018-06-30', '2018-09-30', '2018-11-30', '2018-12-31']) {
      expect(CalendarDate.safeParse(ok).success, ok).toBe(true);
    }
    for (const leap of ['1904-02-29', '1996-02-29', '2000-02-29', '2020-02-29', '2024-02-29', '2400-02-29', '2800-02-29', '2996-02-29']) {
      expect(CalendarDate.safeParse(leap).success, leap).toBe(true);
    }
    for (const notLeap of [
      '1900-02-29',
      '2018-02-29',
      '2019-02-29',
      '2100-02-29',
      '2200-02-29',
      '2300-02-29',
      '2500-02-29',
      '2900-02-29',
    ]) {
      expect(CalendarDate.safeParse(notLeap).success, notLeap).toBe(false);
    }
    for (const bad of [
      '2018-02-30',
      '2018-04-31',
      '2018-06-31',
      '2018-09-31',
      '2018-11-31',
      '2018-01-32',
      '2018-13-01',
      '2018-00-10',
      '2018-05-00',
    ]) {
      expect(CalendarDate.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('refuses other shapes and years outside 1900–2999 with a Chinese message quoting the value', () => {
    for (const bad of [
      '0000-00-00',
      '0000-01-01',
      '1899-12-31',
      '3000-01-01',
      '9999-12-31',
      '2018-6-30',
      '20180630',
      '2018-06-30T00:00:00Z',
      ' 2018-06-30',
      '2018-06-30\n',
      '',
    ]) {
      const result = CalendarDate.safeParse(bad);
      expect(result.success, JSON.stringify(bad)).toBe(false);
      expect(result.error?.issues[0].message).toContain(`不是有效日期：${bad}`);
    }
    expect(CalendarDate.safeParse(20180630).success).toBe(false);
    expect(CalendarDate.safeParse('1900-01-01').success).toBe(true);
    expect(CalendarDate.safeParse('2999-12-31').success).toBe(true);
  });

  it('agrees with the calendar on every year, month 0–13 and day 0–32 of 1890–3010', () => {
    let accepted = 0;
    for (let y = 1890; y <= 3010; y += 1) {
      for (let m = 0; m <= 13; m += 1) {
        for (let d = 0; d <= 32; d += 1) {
          const s = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
          const expected = m >= 1 && m <= 12 && d >= 1 && isRealDay(s);
          if (isCalendarDate(s) !== expected) throw new Error(`${s}: expected ${expected}`);
          if (expected) accepted += 1;
        }
      }
    }
    // 1,100 years of 365 days, plus one per leap year (267 from 1900 to 2999).
    expect(accepted).toBe(1100 * 365 + 267);
  });

  it('states the whole rule in its JSON Schema pattern', () => {
    const schema = CalendarDate.toJSONSchema() as { pattern?: string };
    expect(schema.pattern).toBe(CALENDAR_DATE_PATTERN);
  });
});

describe('addDays', () => {
  it('adds across month ends and leap days', () => {
    expect(addDays('2020-02-28', 1)).toBe('2020-02-29');
    expect(addDays('2019-02-28', 1)).toBe('2019-03-01');
    expect(addDays('2018-12-31', 1)).toBe('2019-01-01');
    expect(addDays('2018-03-01', -1)).toBe('2018-02-28');
  });

  it('names a date that is not a real day instead of failing with "Invalid time value" (or moving 30 February to March)', () => {
    for (const bad of ['2018-13-01', '0000-00-00', '2018-02-30', 'today']) {
      expect(() => addDays(bad, 30), bad).toThrow(/not a calendar date/);
    }
  });
});
