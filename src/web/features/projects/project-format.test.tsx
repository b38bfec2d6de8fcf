import { describe, expect, it } from 'vitest';
import { wan, wanToYuan } from './project-format.ts';

describe('万元 ↔ 元', () => {
  it('shifts decimal digits exactly, never through a float product', () => {
    expect(wanToYuan('350.5')).toBe(3_505_000);
    expect(wanToYuan(0.0001)).toBe(1);
    expect(wanToYuan('12345678.9999')).toBe(123_456_789_999);
    // 0.1 + 0.2 style drift cannot happen: 1.15 万元 is 11,500 元, not 11,499.999….
    expect(wanToYuan(1.15)).toBe(11_500);
  });

  it('refuses what is not a non-negative amount of at most four decimals', () => {
    for (const bad of ['-1', 'abc', '1.00001', '1e5', Number.NaN, '']) expect(wanToYuan(bad)).toBeNull();
  });

  it('shows 元 as 万元', () => {
    expect(wan(3_505_000)).toBe('350.5');
    expect(wan(1)).toBe('0.0001');
  });
});
