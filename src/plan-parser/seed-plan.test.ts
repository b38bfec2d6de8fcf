import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlan } from './index.ts';

const root = join(import.meta.dirname, '..', '..');
const scorer = join(root, 'test/fixtures/eval-plan.mjs');
const seed = readFileSync(join(root, 'test/fixtures/hebi-2018-baicheng.txt'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'plan-parser-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the shared scorer and returns the numbers of its summary line. */
function score(text: string, goldPath: string): Record<string, number | null> {
  const out = join(dir, `pred-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(out, JSON.stringify(parsePlan(text)));
  const stdout = execFileSync(process.execPath, [scorer, out, goldPath], { encoding: 'utf8' });
  const summary = stdout.trim().split('\n').at(-1) ?? '';
  expect(summary).toMatch(/^plan-extract:/);
  const result: Record<string, number | null> = {};
  for (const [, k, v] of summary.matchAll(/(\w+)=([\d.]+|n\/a)/g)) result[k] = v === 'n/a' ? null : Number(v);
  return result;
}

describe('seed plan (鹤壁市2018年度百城建设提质工程工作实施方案)', () => {
  it('meets the quality bar against the hand-labelled gold', () => {
    const s = score(seed, join(root, 'test/fixtures/hebi-2018-baicheng.gold.json'));
    expect(s.sections).toBeGreaterThanOrEqual(1);
    expect(s.units).toBeGreaterThanOrEqual(0.99);
    expect(s.deadlines).toBeGreaterThanOrEqual(0.98);
    expect(s.targets).toBeGreaterThanOrEqual(0.97);
    expect(s.juris).toBeGreaterThanOrEqual(0.9);
  });

  it('meets it on the same plan with every line break removed (OCR-style)', () => {
    const s = score(seed.replace(/\n/g, ''), join(import.meta.dirname, 'fixtures/hebi-2018-baicheng.oneline.gold.json'));
    expect(s.sections).toBeNull();
    expect(s.units).toBeGreaterThanOrEqual(0.99);
    expect(s.deadlines).toBeGreaterThanOrEqual(0.98);
    expect(s.targets).toBeGreaterThanOrEqual(0.97);
    expect(s.juris).toBeGreaterThanOrEqual(0.9);
  });
});
