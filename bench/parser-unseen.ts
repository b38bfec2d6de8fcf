/**
 * Scores the plan parser on the held-out corpus of complete plans (issue 18):
 * `npx tsx bench/parser-unseen.ts [--split holdout|tune|all] [--verbose]`.
 *
 * The documents and their split are read from the table in src/plan-parser/fixtures/unseen/README.md;
 * each text is parsed with parsePlan and scored by the shared scorer (test/fixtures/eval-plan.mjs,
 * run with --json), then the raw counts are pooled. Prints one line per document and the pooled
 * per-metric P/R/F1. A measurement, not a test: it asserts nothing and always exits 0 when it runs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parsePlan } from '../src/plan-parser/index.ts';

const { values } = parseArgs({
  options: { split: { type: 'string', default: 'holdout' }, verbose: { type: 'boolean', default: false } },
});
const split = values.split ?? 'holdout';
if (!['holdout', 'tune', 'all'].includes(split)) {
  console.error('usage: npx tsx bench/parser-unseen.ts [--split holdout|tune|all] [--verbose]');
  process.exit(2);
}

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = join(root, 'src/plan-parser/fixtures/unseen');
const scorer = join(root, 'test/fixtures/eval-plan.mjs');

// Rows of the README table: | `name` | document | level | form | source | split |
const docs: { name: string; split: string }[] = [];
for (const line of readFileSync(join(dir, 'README.md'), 'utf8').split('\n')) {
  const m = /^\|\s*`([\w.-]+)`\s*\|.*\|\s*(holdout|tune)\s*\|\s*$/.exec(line);
  if (m) docs.push({ name: m[1], split: m[2] });
}
const chosen = docs.filter((d) => split === 'all' || d.split === split);
if (chosen.length === 0) {
  console.log(`no documents in split ${split}`);
  process.exit(0);
}

type Counts = { tp: number; fp: number; fn: number };
interface Raw {
  sections: Counts | null;
  units: Counts;
  deadlines: Counts;
  targets: Counts;
  juris: { ok: number; all: number };
  comparators: { ok: number; all: number };
  tasks: { found: number; all: number };
}
const METRICS = ['sections', 'units', 'deadlines', 'targets'] as const;
const zero = (): Counts => ({ tp: 0, fp: 0, fn: 0 });
const pooled = {
  sections: zero(),
  units: zero(),
  deadlines: zero(),
  targets: zero(),
  juris: { ok: 0, all: 0 },
  comparators: { ok: 0, all: 0 },
  tasks: { found: 0, all: 0 },
};
const f1 = ({ tp, fp, fn }: Counts) => {
  const p = tp + fp ? tp / (tp + fp) : 1;
  const r = tp + fn ? tp / (tp + fn) : 1;
  return { p, r, f: p + r ? (2 * p * r) / (p + r) : 0 };
};
const fmt = (x: number | null) => (x === null ? '  n/a' : x.toFixed(3));

const tmp = mkdtempSync(join(tmpdir(), 'plan-unseen-'));
try {
  console.log(`split ${split}: ${chosen.map((d) => d.name).join(', ')}`);
  console.log(`${'document'.padEnd(34)} sections units  deadl. targets juris  tasks`);
  for (const { name } of chosen) {
    let text = readFileSync(join(dir, `${name}.txt`), 'utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const predPath = join(tmp, `${name}.pred.json`);
    writeFileSync(predPath, JSON.stringify(parsePlan(text)));
    const args = [scorer, predPath, join(dir, `${name}.gold.json`), '--json'];
    if (values.verbose) args.push('--verbose');
    const out = execFileSync(process.execPath, args, { encoding: 'utf8' }).trim().split('\n');
    const raw = JSON.parse(out.at(-1) ?? '{}') as Raw;
    if (values.verbose) console.log(out.slice(0, -1).join('\n'));
    for (const k of METRICS) {
      const c = raw[k];
      if (c) for (const f of ['tp', 'fp', 'fn'] as const) pooled[k][f] += c[f];
    }
    for (const k of ['juris', 'comparators'] as const) {
      pooled[k].ok += raw[k].ok;
      pooled[k].all += raw[k].all;
    }
    pooled.tasks.found += raw.tasks.found;
    pooled.tasks.all += raw.tasks.all;
    const cells = METRICS.map((k) => fmt(raw[k] ? f1(raw[k] as Counts).f : null));
    const juris = raw.juris.all ? raw.juris.ok / raw.juris.all : null;
    console.log(`${name.padEnd(34)} ${cells.map((c) => c.padEnd(6)).join(' ')} ${fmt(juris)}  ${raw.tasks.found}/${raw.tasks.all}`);
  }
  console.log('\npooled');
  for (const k of METRICS) {
    const s = f1(pooled[k]);
    const c = pooled[k];
    console.log(`${k.padEnd(12)} P ${s.p.toFixed(3)}  R ${s.r.toFixed(3)}  F1 ${s.f.toFixed(3)}   (tp ${c.tp} fp ${c.fp} fn ${c.fn})`);
  }
  const { juris, comparators, tasks } = pooled;
  console.log(`juris        ${juris.all ? (juris.ok / juris.all).toFixed(3) : 'n/a'} (${juris.ok}/${juris.all})`);
  console.log(
    `comparators  ${comparators.all ? (comparators.ok / comparators.all).toFixed(3) : 'n/a'} (${comparators.ok}/${comparators.all})`,
  );
  console.log(`tasks        ${tasks.found}/${tasks.all} aligned`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
