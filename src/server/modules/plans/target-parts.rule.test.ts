import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPartsOverflow, isAdditiveUnit } from './target-parts.rule.ts';

describe('target parts rule', () => {
  it('knows counts and lengths add up, percentages and durations do not', () => {
    for (const u of ['个', '座', '条', '所', '公里', '米', '平方米', '万平方米']) expect(isAdditiveUnit(u)).toBe(true);
    for (const u of ['%', '分钟', '‰', '年']) expect(isAdditiveUnit(u)).toBe(false);
  });

  it('accepts the Hebi pipe-gallery split exactly (20 = 9 + 5.5 + 5.5)', () => {
    const parts = [9, 5.5, 5.5].map((value) => ({ value, unit: '公里' }));
    expect(findPartsOverflow({ value: 20, unit: '公里' }, parts)).toBeNull();
  });

  it('rejects shares that exceed the total, naming both numbers', () => {
    const message = findPartsOverflow({ value: 20, unit: '公里' }, [
      { value: 15, unit: '公里' },
      { value: 6, unit: '公里' },
    ]);
    expect(message).toContain('21');
    expect(message).toContain('20');
  });

  it('ignores percentages and parts in another unit', () => {
    expect(findPartsOverflow({ value: 50, unit: '%' }, [{ value: 70, unit: '%' }])).toBeNull();
    expect(findPartsOverflow({ value: 2, unit: '公里' }, [{ value: 900, unit: '米' }])).toBeNull();
  });

  it('never rejects decimal splits that sum to the total', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 12 }), (cents) => {
        const parts = cents.map((c) => ({ value: c / 100, unit: '公里' }));
        const total = cents.reduce((a, b) => a + b, 0) / 100;
        return findPartsOverflow({ value: total, unit: '公里' }, parts) === null;
      }),
    );
  });
});
