import { describe, expect, it } from 'vitest';
import { addDays, chinaDate, todayInShanghai } from './china-date.ts';

describe('china-date', () => {
  it('chinaDate is the calendar day at UTC+8: 23:30 in Beijing is still the same day, 00:30 the next', () => {
    expect(chinaDate(new Date('2018-07-05T15:30:00Z'))).toBe('2018-07-05');
    expect(chinaDate(new Date('2018-07-05T16:00:00Z'))).toBe('2018-07-06');
    expect(chinaDate(new Date('2018-12-31T16:30:00Z'))).toBe('2019-01-01');
  });

  it('todayInShanghai is chinaDate of now, whatever the process time zone', () => {
    const at = new Date('2020-02-28T20:00:00Z');
    expect(todayInShanghai(at)).toBe('2020-02-29');
    expect(todayInShanghai(at)).toBe(chinaDate(at));
  });

  it('addDays counts calendar days across months, years and leap days, both ways', () => {
    expect(addDays('2020-02-28', 1)).toBe('2020-02-29');
    expect(addDays('2019-02-28', 1)).toBe('2019-03-01');
    expect(addDays('2018-12-31', 1)).toBe('2019-01-01');
    expect(addDays('2018-03-01', -1)).toBe('2018-02-28');
    expect(addDays('2018-07-05', 0)).toBe('2018-07-05');
    expect(addDays('2018-01-31', 365)).toBe('2019-01-31');
  });

  it('addDays refuses what is not a calendar date instead of rolling it over', () => {
    for (const bad of ['2018-02-30', '2018-13-01', 'yesterday', '', '2018-7-5']) {
      expect(() => addDays(bad, 1), bad).toThrow(RangeError);
    }
  });
});
