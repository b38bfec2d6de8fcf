import { describe, expect, it } from 'vitest';
import { parseWan } from './project-workbook.ts';

describe('parseWan (the import’s 万元 cells)', () => {
  it('reads numbers and text to integer 元', () => {
    expect(parseWan(350.5)).toBe(3_505_000);
    expect(parseWan('1,200.25')).toBe(12_002_500);
    expect(parseWan(null)).toBe(0);
  });

  it('explains what it refuses', () => {
    expect(parseWan('三百万')).toMatch(/^金额应为/);
    expect(parseWan(0.00001)).toBe('金额最多精确到元（万元保留4位小数）');
    expect(parseWan(-3)).toMatch(/^金额应为/);
  });
});
