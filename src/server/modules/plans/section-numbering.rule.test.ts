import { describe, expect, it } from 'vitest';
import { chineseNumber, numberToken, renumberLevel, styleOf } from './section-numbering.rule.ts';

describe('section numbering', () => {
  it('writes Chinese numbers as an outline does', () => {
    expect([1, 9, 10, 11, 20, 21, 99].map(chineseNumber)).toEqual(['一', '九', '十', '十一', '二十', '二十一', '九十九']);
    expect(chineseNumber(100)).toBe('100');
  });

  it('reads the style of a token', () => {
    expect(styleOf('三')).toBe('cn');
    expect(styleOf('(三)')).toBe('cn-paren');
    expect(styleOf('（三）')).toBe('cn-paren');
    expect(styleOf('12')).toBe('arabic');
    expect(styleOf('(2)')).toBe('arabic-paren');
    expect(styleOf('②')).toBe('circled');
    expect(styleOf('第二章')).toBe('chapter');
    expect(styleOf('附件1')).toBeNull();
    expect(numberToken('chapter', 3)).toBe('第三章');
  });

  it('renumbers a level in its own style, new sections included', () => {
    expect(renumberLevel(['(二)', '(一)', undefined], 1)).toEqual(['(一)', '(二)', '(三)']);
    expect(renumberLevel(['3', '1', '2'], 2)).toEqual(['1', '2', '3']);
    expect(renumberLevel([undefined], 0)).toEqual(['一']);
    expect(renumberLevel([undefined, undefined], 3)).toEqual(['(1)', '(2)']);
  });

  it('keeps tokens it does not number, and does not count them', () => {
    expect(renumberLevel(['二', '一', '附件1'], 0)).toEqual(['一', '二', '附件1']);
  });
});
