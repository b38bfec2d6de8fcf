import { describe, expect, it } from 'vitest';
import { parseChineseNumeral, parseNumber } from './chinese-numeral.ts';

describe('parseChineseNumeral', () => {
  it.each([
    ['七', 7],
    ['十', 10],
    ['十二', 12],
    ['二十', 20],
    ['三百五十', 350],
    ['两千', 2000],
    ['一万二千', 12000],
    ['五十万', 500000],
    ['二〇一八', 2018],
  ])('%s → %d', (s, v) => expect(parseChineseNumeral(s)).toBe(v));

  it('rejects non-numerals', () => {
    expect(parseChineseNumeral('两区')).toBeNull();
    expect(parseChineseNumeral('')).toBeNull();
  });

  it('reads Arabic and full-width digits too', () => {
    expect(parseNumber('57.46')).toBe(57.46);
    expect(parseNumber('１５')).toBe(15);
  });
});
