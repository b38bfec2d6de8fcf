import { describe, expect, it } from 'vitest';
import { computeStatus, meetsTarget, progressShare, projectLinear, rollUp, timeShare } from './status.engine.ts';

// Hand-made series in the shape of the Hebi plan's targets: 新建公厕70座 by 2018-12-31,
// 漏损率低于11% from a 15% baseline, qualitative 总体规划修编.
const toilets = { comparator: '=' as const, value: 70, baseline: 0 };
const base = { startDate: '2018-01-01', deadline: '2018-12-31' };

describe('computeStatus, quantitative', () => {
  it('is not started without reports, overdue once the deadline passes without any', () => {
    expect(computeStatus({ ...base, target: toilets, asOf: '2018-03-01' }).status).toBe('not_started');
    const late = computeStatus({ ...base, target: toilets, asOf: '2019-01-02' });
    expect(late.status).toBe('overdue');
    expect(late.reason).toContain('2018-12-31');
  });

  it('is on track when the trend reaches the target in time', () => {
    const r = computeStatus({
      ...base,
      target: toilets,
      series: [
        { date: '2018-03-31', value: 18 },
        { date: '2018-06-30', value: 36 },
      ],
      asOf: '2018-07-01',
    });
    expect(r.status).toBe('on_track');
    expect(r.progress).toBeCloseTo(36 / 70);
    expect(r.projected!).toBeGreaterThanOrEqual(70);
  });

  it('is at risk when the linear projection falls short, and says by how much', () => {
    const r = computeStatus({
      ...base,
      target: toilets,
      series: [
        { date: '2018-03-31', value: 10 },
        { date: '2018-06-30', value: 20 },
      ],
      asOf: '2018-07-01',
    });
    expect(r.status).toBe('at_risk');
    expect(r.projected!).toBeLessThan(70);
    expect(r.reason).toMatch(/推算.*达不到目标70/);
  });

  it('is at risk by the time-vs-completion margin when there is a single report', () => {
    const r = computeStatus({ ...base, target: toilets, series: [{ date: '2018-09-30', value: 20 }], asOf: '2018-10-01' });
    expect(r.status).toBe('at_risk');
    expect(r.reason).toContain('进度滞后');
    const fine = computeStatus({ ...base, target: toilets, series: [{ date: '2018-09-30', value: 50 }], asOf: '2018-10-01' });
    expect(fine.status).toBe('on_track');
    // A wider margin tolerates the same lag.
    const lenient = computeStatus(
      { ...base, target: toilets, series: [{ date: '2018-09-30', value: 20 }], asOf: '2018-10-01' },
      { riskMargin: 0.6 },
    );
    expect(lenient.status).toBe('on_track');
  });

  it('is done once reached, even before the deadline; overdue when the deadline passed short of it', () => {
    expect(computeStatus({ ...base, target: toilets, series: [{ date: '2018-11-30', value: 71 }], asOf: '2018-12-01' }).status).toBe(
      'done',
    );
    expect(computeStatus({ ...base, target: toilets, series: [{ date: '2018-12-31', value: 60 }], asOf: '2019-01-05' }).status).toBe(
      'overdue',
    );
  });

  it('respects lower-is-better targets such as 漏损率低于11%', () => {
    const leakage = { comparator: '<' as const, value: 11, baseline: 15 };
    const falling = computeStatus({
      ...base,
      target: leakage,
      series: [
        { date: '2018-03-31', value: 14 },
        { date: '2018-06-30', value: 13 },
      ],
      asOf: '2018-07-01',
    });
    // 15 → 13 in half a year: the trend reaches ~11 by year end; 11 itself does not satisfy "< 11".
    expect(['on_track', 'at_risk']).toContain(falling.status);
    expect(falling.progress).toBeCloseTo(0.5);
    expect(computeStatus({ ...base, target: leakage, series: [{ date: '2018-09-30', value: 10.5 }], asOf: '2018-10-01' }).status).toBe(
      'done',
    );
    expect(computeStatus({ ...base, target: leakage, series: [{ date: '2018-09-30', value: 11 }], asOf: '2019-01-02' }).status).toBe(
      'overdue',
    );
    const stalled = computeStatus({
      ...base,
      target: leakage,
      series: [
        { date: '2018-03-31', value: 15 },
        { date: '2018-06-30', value: 14.8 },
      ],
      asOf: '2018-07-01',
    });
    expect(stalled.status).toBe('at_risk');
  });

  it('ignores reports dated after asOf (a frozen snapshot recomputes the same)', () => {
    const r = computeStatus({ ...base, target: toilets, series: [{ date: '2018-12-31', value: 70 }], asOf: '2018-06-30' });
    expect(r.status).toBe('not_started');
  });
});

describe('computeStatus, qualitative', () => {
  const q = { ...base, target: null };
  it('uses reported status, completion and the deadline', () => {
    expect(computeStatus({ ...q, asOf: '2018-02-01' }).status).toBe('not_started');
    expect(computeStatus({ ...q, reportedStatus: 'done', asOf: '2018-05-01' }).status).toBe('done');
    expect(computeStatus({ ...q, reportedStatus: 'on_track', completionPercent: 60, asOf: '2018-07-01' }).status).toBe('on_track');
    expect(computeStatus({ ...q, reportedStatus: 'on_track', completionPercent: 10, asOf: '2018-10-01' }).status).toBe('at_risk');
    expect(computeStatus({ ...q, reportedStatus: 'at_risk', completionPercent: 70, asOf: '2018-07-01' }).status).toBe('at_risk');
    expect(computeStatus({ ...q, reportedStatus: 'on_track', completionPercent: 90, asOf: '2019-01-01' }).status).toBe('overdue');
  });
});

describe('helpers', () => {
  it('meetsTarget honours every comparator', () => {
    expect(meetsTarget(70, { comparator: '=', value: 70 })).toBe(true);
    expect(meetsTarget(70, { comparator: '>', value: 70 })).toBe(false);
    expect(meetsTarget(300, { comparator: '<=', value: 300 })).toBe(true);
    expect(meetsTarget(300, { comparator: '<', value: 300 })).toBe(false);
  });
  it('progressShare clamps and needs a baseline for decreasing targets', () => {
    expect(progressShare(140, toilets)).toBe(1);
    expect(progressShare(-5, toilets)).toBe(0);
    expect(progressShare(12, { comparator: '<', value: 11 })).toBeNull();
  });
  it('projectLinear fits a line and refuses a single date', () => {
    expect(
      projectLinear(
        [
          { date: '2018-01-01', value: 0 },
          { date: '2018-01-11', value: 10 },
        ],
        '2018-01-21',
      ),
    ).toBeCloseTo(20);
    expect(projectLinear([{ date: '2018-01-01', value: 5 }], '2018-02-01')).toBeNull();
    expect(
      projectLinear(
        [
          { date: '2018-01-01', value: 5 },
          { date: '2018-01-01', value: 6 },
        ],
        '2018-02-01',
      ),
    ).toBeNull();
  });
  it('timeShare is clamped to [0, 1]', () => {
    expect(timeShare('2018-01-01', '2018-12-31', '2017-12-01')).toBe(0);
    expect(timeShare('2018-01-01', '2018-12-31', '2019-06-01')).toBe(1);
  });
});

describe('rollUp', () => {
  it('lets the worst signal win and weights progress', () => {
    expect(rollUp([]).status).toBe('not_started');
    expect(rollUp([{ status: 'done' }, { status: 'done' }]).status).toBe('done');
    expect(rollUp([{ status: 'done' }, { status: 'not_started' }]).status).toBe('on_track');
    expect(rollUp([{ status: 'on_track' }, { status: 'at_risk' }]).status).toBe('at_risk');
    const r = rollUp([
      { status: 'overdue', progress: 0.5, weight: 3 },
      { status: 'done', weight: 1 },
    ]);
    expect(r.status).toBe('overdue');
    expect(r.progress).toBeCloseTo((3 * 0.5 + 1) / 4);
    expect(r.counts.overdue).toBe(1);
  });
});
