/**
 * Plans printed to PDF and read back here, by pdftotext and by tesseract (fixtures/unseen/*-ocr.txt,
 * *-pdftotext.txt; made by scripts/make-ocr-fixtures.mjs, see fixtures/unseen/README.md): genuine
 * OCR and PDF-flattening output, committed, so this test needs neither LibreOffice nor tesseract.
 * Each must stay at the level it reached when the soft-wrap joiner was written (round four). The
 * OCR copies stay below 1 where tesseract garbled a number or a name (those targets are optional in
 * the gold, so what is left is digits misread as other digits: 500→590, 6000→6606).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlan } from './index.ts';

const root = join(import.meta.dirname, '..', '..');
const scorer = join(root, 'test/fixtures/eval-plan.mjs');
const unseen = join(import.meta.dirname, 'fixtures', 'unseen');
const dir = mkdtempSync(join(tmpdir(), 'plan-ocr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Metric = 'sections' | 'units' | 'deadlines' | 'targets';

function score(name: string): Record<Metric | 'juris', number | null> {
  const predPath = join(dir, `${name}.pred.json`);
  writeFileSync(predPath, JSON.stringify(parsePlan(readFileSync(join(unseen, `${name}.txt`), 'utf8'))));
  const stdout = execFileSync(process.execPath, [scorer, predPath, join(unseen, `${name}.gold.json`)], { encoding: 'utf8' });
  const summary = stdout.trim().split('\n').at(-1) ?? '';
  const out: Record<string, number | null> = {};
  for (const [, k, v] of summary.matchAll(/(\w+)=([\d.]+|n\/a)/g)) out[k] = v === 'n/a' ? null : Number(v);
  return out as Record<Metric | 'juris', number | null>;
}

const ALL = { sections: 1, units: 1, deadlines: 1, targets: 1 };
/** The level each copy reached (round four). */
const REACHED: Record<string, Record<Metric, number>> = {
  'guangzhou-2012-keji-chuangxin-pdftotext': ALL,
  'guangzhou-2012-dangjian-pdftotext': ALL,
  'gov-2018-123-zhengwu-xinmeiti-pdftotext': ALL,
  'guangdong-2012-minying-kejiyuan-pdftotext': ALL,
  'guangzhou-2012-keji-chuangxin-ocr': { sections: 1, units: 0.985, deadlines: 1, targets: 0.643 },
  'guangzhou-2012-dangjian-ocr': { sections: 0.952, units: 0.958, deadlines: 1, targets: 0.75 },
  'gov-2018-123-zhengwu-xinmeiti-ocr': ALL,
  'guangdong-2012-minying-kejiyuan-ocr': { sections: 0.979, units: 1, deadlines: 1, targets: 0.571 },
};

describe("plans flattened from PDF and OCR'd, against the gold of their clean text", () => {
  for (const [name, reached] of Object.entries(REACHED)) {
    it(name, () => {
      const s = score(name);
      for (const k of Object.keys(reached) as Metric[]) expect(s[k], k).toBeGreaterThanOrEqual(reached[k]);
    });
  }
});
