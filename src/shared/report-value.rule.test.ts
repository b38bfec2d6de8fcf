import { describe, expect, it } from 'vitest';
import { checkCompletionPercent, checkReportValue, isPercentUnit } from './report-value.rule.ts';

describe('checkReportValue', () => {
  const seats = { unit: '座', value: 100 };
  it('refuses negative values with the reason in Chinese', () => {
    expect(checkReportValue(-50, seats)).toEqual({ ok: false, kind: 'invalid', reason: '完成值不能为负数' });
    expect(checkReportValue(-5, seats, true)).toMatchObject({ ok: false, kind: 'invalid' });
  });
  it('refuses a share above 100 even when confirmed', () => {
    expect(checkReportValue(150, { unit: '%', value: 90 }, true)).toEqual({ ok: false, kind: 'invalid', reason: '完成率应在 0–100 之间' });
    expect(checkReportValue(100, { unit: '%', value: 90 })).toEqual({ ok: true });
  });
  it('asks to confirm a value more than 10× the target or its upper bound, and accepts it confirmed', () => {
    expect(checkReportValue(1001, seats)).toMatchObject({ ok: false, kind: 'outlier' });
    expect(checkReportValue(1001, seats, true)).toEqual({ ok: true });
    expect(checkReportValue(1000, seats)).toEqual({ ok: true });
    expect(checkReportValue(1500, { unit: '座', value: 100, maxValue: 200 })).toEqual({ ok: true });
    expect(checkReportValue(5000, { unit: '座', value: null })).toEqual({ ok: true });
  });
  it('lets an unreported value and zero pass', () => {
    expect(checkReportValue(null, seats)).toEqual({ ok: true });
    expect(checkReportValue(0, seats)).toEqual({ ok: true });
  });
});

describe('checkCompletionPercent and isPercentUnit', () => {
  it('keeps 完成率 in 0–100', () => {
    expect(checkCompletionPercent(150)).toMatchObject({ ok: false, reason: '完成率应在 0–100 之间' });
    expect(checkCompletionPercent(-1)).toMatchObject({ ok: false });
    expect(checkCompletionPercent(100)).toEqual({ ok: true });
  });
  it('knows share units', () => {
    expect(['%', '％', '百分比', '覆盖率'].map(isPercentUnit)).toEqual([true, true, true, true]);
    expect(['座', '公里', null].map(isPercentUnit)).toEqual([false, false, false]);
  });
});
