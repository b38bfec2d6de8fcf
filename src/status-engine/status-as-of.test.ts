import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DELIVERY_STATUSES } from '../shared/enums.ts';
import { computeStatus, isPastDeadline, statusAsOf } from './status.engine.ts';

const day = fc
  .integer({ min: Date.UTC(2017, 0, 1), max: Date.UTC(2020, 11, 31) })
  .map((ms) => new Date(Math.floor(ms / 86_400_000) * 86_400_000).toISOString().slice(0, 10));

describe('statusAsOf', () => {
  it('keeps the stored status until a deadline has passed, then says overdue unless done', () => {
    expect(statusAsOf('on_track', ['2018-12-31'], '2018-12-31')).toBe('on_track'); // due today is not late
    expect(statusAsOf('on_track', ['2018-12-31'], '2019-01-01')).toBe('overdue');
    expect(statusAsOf('at_risk', ['2018-06-30', '2018-12-31'], '2018-07-01')).toBe('overdue'); // a stage deadline missed
    expect(statusAsOf('done', ['2018-06-30'], '2019-01-01')).toBe('done');
    expect(statusAsOf('not_started', [], '2099-01-01')).toBe('not_started'); // no deadline, never late
    expect(statusAsOf('overdue', ['2018-12-31'], '2018-01-01')).toBe('overdue'); // a stored overdue stays
  });

  it('never contradicts what computeStatus decided for the same deadline and day', () => {
    // The engine's stored answer, read back through the overlay on the day it was computed, is
    // unchanged: the two share one "past the deadline" rule.
    fc.assert(
      fc.property(
        day,
        fc.option(day, { nil: null }),
        day,
        fc.option(fc.constantFrom(...DELIVERY_STATUSES), { nil: null }),
        fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
        fc.option(fc.record({ value: fc.integer({ min: 1, max: 100 }), reached: fc.integer({ min: 0, max: 120 }), on: day }), {
          nil: null,
        }),
        (startDate, deadline, asOf, reportedStatus, completionPercent, quantity) => {
          const input = quantity
            ? {
                startDate,
                deadline,
                asOf,
                target: { comparator: '>=' as const, value: quantity.value },
                series: [{ date: quantity.on, value: quantity.reached }],
              }
            : { startDate, deadline, asOf, reportedStatus, completionPercent };
          const stored = computeStatus(input).status;
          expect(statusAsOf(stored, deadline ? [deadline] : [], asOf)).toBe(stored);
        },
      ),
    );
  });

  it('isPastDeadline is strict: the deadline day itself is still on time', () => {
    expect(isPastDeadline('2018-12-31', '2018-12-31')).toBe(false);
    expect(isPastDeadline('2018-12-31', '2019-01-01')).toBe(true);
    expect(isPastDeadline('2018-12-31', '2018-12-30')).toBe(false);
  });
});
