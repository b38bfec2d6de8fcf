import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePlan } from './index.ts';
import type { Deadline, PlanExtract, Section, Target, UnitRef } from './plan-extract.types.ts';

const isSpan = (s: unknown, len: number) =>
  Array.isArray(s) && s.length === 2 && Number.isInteger(s[0]) && Number.isInteger(s[1]) && 0 <= s[0] && s[0] <= s[1] && s[1] <= len;
const isDeadline = (d: Deadline, len: number) => /^\d{4}-\d{2}-\d{2}$/.test(d.date) && typeof d.text === 'string' && isSpan(d.span, len);
const isTarget = (t: Target, len: number) =>
  Number.isFinite(t.value) &&
  typeof t.unit === 'string' &&
  ['>=', '<=', '>', '<', '='].includes(t.comparator) &&
  Array.isArray(t.jurisdictions) &&
  typeof t.metric === 'string' &&
  isSpan(t.span, len);
const isUnit = (u: UnitRef) => typeof u.mention === 'string' && typeof u.name === 'string';

/** Checks the contract's shape and that every span lies inside the text. */
function assertValid(e: PlanExtract, text: string): void {
  const len = text.replace(/^\ufeff/, '').length;
  expect(e.title === null || typeof e.title === 'string').toBe(true);
  expect(e.issuer === null || typeof e.issuer === 'string').toBe(true);
  expect(e.year === null || Number.isInteger(e.year)).toBe(true);
  const walk = (list: Section[]) => {
    for (const s of list) {
      expect(Array.isArray(s.path) && s.path.every((p) => typeof p === 'string')).toBe(true);
      expect(typeof s.title).toBe('string');
      expect(isSpan(s.span, len)).toBe(true);
      expect(s.deadlines.every((d) => isDeadline(d, len))).toBe(true);
      expect(s.targets.every((t) => isTarget(t, len))).toBe(true);
      walk(s.children);
    }
  };
  walk(e.sections);
  for (const t of e.tasks) {
    expect(isSpan(t.span, len) && isSpan(t.assignment.span, len)).toBe(true);
    expect(typeof t.text).toBe('string');
    expect([...t.assignment.lead, ...t.assignment.responsible, ...t.assignment.cooperating].every(isUnit)).toBe(true);
    expect(t.deadlines.every((d) => isDeadline(d, len))).toBe(true);
    expect(t.targets.every((x) => isTarget(x, len))).toBe(true);
  }
}

const PIECES = [
  '一、',
  '二、',
  '（一）',
  '(二)',
  '1.',
  '2．',
  '(1)',
  '（2）',
  '①',
  '\n',
  '。',
  '，',
  ',',
  '、',
  '；',
  ':',
  '：',
  '(',
  ')',
  '（',
  '）',
  '【',
  '】',
  '牵头单位',
  '责任单位',
  '配合单位',
  '牵头部门',
  '协办单位',
  '牵头',
  '负责',
  '配合',
  '参与',
  '下同',
  '列第一位者为牵头单位',
  '以下各项任务均需',
  '落实，不再一一列出',
  '市财政局',
  '各县区政府',
  '管委',
  '淇县',
  '浚县',
  '分别',
  '其中',
  '2018年',
  '6月底前',
  '年底前',
  '上半年',
  '第三季度',
  '12',
  '5.5',
  '百分之',
  '七成',
  '以上',
  '不低于',
  '%',
  '个',
  '公里',
  '万平方米',
  '—',
  '“',
  '”',
  '等',
  '\ufeff',
  ' ',
  '\u3000',
  '〔',
  '〕',
  '﹒',
  '第一章',
  '第二部分',
  '牵头责任单位：',
  '协同责任单位:',
  '完成时限：',
  '领导：',
  '责任主体：',
  '均涉及',
  '不再做分工',
  '年内持续推进',
  '及',
  '海关',
  '新建',
  '打通',
  '的',
  '20%—30%',
  '个百分点',
  '万 亩',
  '不 少 于',
];

describe('parsePlan properties', () => {
  it('never throws and returns a valid extract for random Unicode', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (s) => assertValid(parsePlan(s), s)),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => assertValid(parsePlan(s), s)),
      { numRuns: 300 },
    );
  });

  it('never throws on genre soup (brackets, numbering, role words, dates, numbers)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 300 }), (parts) => {
        const s = parts.join('');
        assertValid(parsePlan(s), s);
      }),
      { numRuns: 500 },
    );
  });

  it('handles deeply nested numbering', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('一、', '（一）', '1.', '(1)', '①', '二、', '（二）', '2.'), { minLength: 1, maxLength: 200 }),
        (heads) => {
          const s = heads.map((h, i) => `${h}标题${i}。正文(责任单位:市甲局)`).join('\n');
          const e = parsePlan(s);
          assertValid(e, s);
          expect(e.tasks).toHaveLength(heads.length);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('completes on a 1 MB line and on adversarial input', { timeout: 120_000 }, () => {
    const seed = readFileSync(join(import.meta.dirname, '..', '..', 'test/fixtures/hebi-2018-baicheng.txt'), 'utf8');
    let big = '';
    while (big.length < 1_000_000) big += seed;
    const inputs = [
      big.replace(/\n/g, ''),
      '('.repeat(100_000),
      '（'.repeat(100_000),
      '牵头单位:'.repeat(100_000),
      '牵头单位:\n'.repeat(100_000),
      '1'.repeat(200_000),
      '１'.repeat(100_000),
      '1.'.repeat(100_000),
      '一'.repeat(200_000),
      '一、'.repeat(100_000),
      '(牵头单位:市甲局)'.repeat(30_000),
      '2018年'.repeat(100_000),
      '淇县、'.repeat(100_000),
      '(一)\n'.repeat(100_000),
      '“'.repeat(100_000),
      ' '.repeat(300_000),
      `(${'市甲局、'.repeat(50_000)}负责)`,
      '〔'.repeat(100_000),
      '〔责任单位:'.repeat(50_000),
      '牵头责任单位:'.repeat(100_000),
      '完成时限：'.repeat(100_000),
      '第一章'.repeat(100_000),
      '1﹒'.repeat(100_000),
      '2．活化利用。（1）试点改造。\n'.repeat(20_000),
      // Flat headings with no separators: every heading resets the target scan's clause.
      Array.from({ length: 30_000 }, (_, i) => `(${'一二三四五六七八九'[i % 9]})${(i % 99) + 1}.增长5%`).join(''),
      `一、${'1.增长5%2.新建3个'.repeat(25_000)}`,
      '具体任务均涉及'.repeat(100_000),
      `（${'年内持续推进，'.repeat(50_000)}）`,
    ];
    for (const s of inputs) assertValid(parsePlan(s), s);
  });
});
