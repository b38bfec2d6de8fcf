import { describe, expect, it } from 'vitest';
import { dueDateAfter, lastOnTimeDate, nextPeriodStart, periodContaining, periodLabel } from './period-calendar.rule.ts';
import { addDays, chinaDate } from '../../../shared/china-date.ts';

describe('period calendar', () => {
  it('finds the month, quarter and half containing a day', () => {
    expect(periodContaining('monthly', '2018-06-17')).toEqual({ start: '2018-06-01', end: '2018-06-30' });
    expect(periodContaining('monthly', '2024-02-10')).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    expect(periodContaining('quarterly', '2018-05-01')).toEqual({ start: '2018-04-01', end: '2018-06-30' });
    expect(periodContaining('half_yearly', '2018-12-31')).toEqual({ start: '2018-07-01', end: '2018-12-31' });
  });

  it('labels periods as the office writes them', () => {
    expect(periodLabel('monthly', '2018-06-01')).toBe('2018年6月');
    expect(periodLabel('quarterly', '2018-04-01')).toBe('2018年第二季度');
    expect(periodLabel('half_yearly', '2018-01-01')).toBe('2018年上半年');
    expect(periodLabel('half_yearly', '2018-07-01')).toBe('2018年下半年');
  });

  it('steps to the next period across a year end', () => {
    expect(nextPeriodStart('monthly', '2018-12-01')).toBe('2019-01-01');
    expect(nextPeriodStart('quarterly', '2018-10-01')).toBe('2019-01-01');
  });

  it('puts the due date in the month after the period, grace after it', () => {
    expect(dueDateAfter('2018-06-30', 5)).toBe('2018-07-05');
    expect(dueDateAfter('2018-12-31', 10)).toBe('2019-01-10');
    expect(lastOnTimeDate('2018-07-05', 3)).toBe('2018-07-08');
    expect(addDays('2018-03-01', -1)).toBe('2018-02-28');
  });

  it('reads the date on Beijing time', () => {
    expect(chinaDate(new Date('2018-07-05T15:30:00Z'))).toBe('2018-07-05');
    expect(chinaDate(new Date('2018-07-05T16:30:00Z'))).toBe('2018-07-06');
  });
});
