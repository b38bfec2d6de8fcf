import { describe, expect, it } from 'vitest';
import { diffText, sidesOf, splitPhrases } from './text-diff.ts';

describe('diffText', () => {
  it('returns one equal part for identical text, nothing for two empty strings', () => {
    expect(diffText('改善城市道路', '改善城市道路')).toEqual([{ kind: 'equal', text: '改善城市道路' }]);
    expect(diffText('', '')).toEqual([]);
  });

  it('marks an inserted and a deleted run inside a clause', () => {
    expect(diffText('开工建设20公里地下综合管廊', '开工建设25公里地下综合管廊')).toEqual([
      { kind: 'equal', text: '开工建设2' },
      { kind: 'delete', text: '0' },
      { kind: 'insert', text: '5' },
      { kind: 'equal', text: '公里地下综合管廊' },
    ]);
    expect(diffText('年底前完成', '9月底前完成')).toEqual([
      { kind: 'delete', text: '年' },
      { kind: 'insert', text: '9月' },
      { kind: 'equal', text: '底前完成' },
    ]);
    expect(diffText('牵头单位:市住建局', '牵头单位:市住建局、市城管局')).toEqual([
      { kind: 'equal', text: '牵头单位:市住建局' },
      { kind: 'insert', text: '、市城管局' },
    ]);
  });

  it('folds a single shared character between two changes into the change', () => {
    const parts = diffText('改造提升道路', '新建道路');
    expect(parts.filter((p) => p.kind === 'equal').map((p) => p.text)).toEqual(['道路']);
    expect(sidesOf(parts)).toEqual({ before: '改造提升道路', after: '新建道路' });
  });

  it('always reproduces both texts, for random edits of a clause', () => {
    const base = '实施城市道路改造提升工程。2018年全市改造提升城市道路20公里,其中淇滨区9公里、示范区5.5公里、开发区5.5公里。';
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    for (let round = 0; round < 200; round++) {
      let after = base;
      const edits = 1 + Math.floor(random() * 6);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * after.length);
        const cut = Math.floor(random() * 5);
        const insert = random() < 0.5 ? '' : '新增内容'.slice(0, 1 + Math.floor(random() * 4));
        after = after.slice(0, at) + insert + after.slice(at + cut);
      }
      const parts = diffText(base, after);
      expect(sidesOf(parts)).toEqual({ before: base, after });
      for (let i = 1; i < parts.length; i++) expect(parts[i].kind === 'equal' && parts[i - 1].kind === 'equal').toBe(false);
    }
  });

  it('stays fast and correct on two unrelated 2000-character clauses', () => {
    const a = '甲乙丙丁，戊己庚辛。'.repeat(200);
    const b = '子丑寅卯；辰巳午未、'.repeat(200);
    const started = performance.now();
    const parts = diffText(a, b);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(sidesOf(parts)).toEqual({ before: a, after: b });
  });

  it('falls back to phrases when the characters differ too much, keeping shared phrases', () => {
    const shared = '打通断头路,改善城市微循环。';
    const a = `${'甲'.repeat(700)}，${shared}`;
    const b = `${'乙'.repeat(700)}，${shared}`;
    const parts = diffText(a, b);
    expect(sidesOf(parts)).toEqual({ before: a, after: b });
    expect(parts.at(-1)).toEqual({ kind: 'equal', text: `，${shared}` });
  });
});

describe('splitPhrases', () => {
  it('cuts after Chinese and ASCII punctuation, keeping it with its phrase', () => {
    expect(splitPhrases('淇滨区9公里、示范区5.5公里,开发区。')).toEqual(['淇滨区9公里、', '示范区5.', '5公里,', '开发区。']);
  });
});
