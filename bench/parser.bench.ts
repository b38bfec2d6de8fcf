/**
 * Plan parser throughput (`npm run bench:parser`).
 *
 * Parses the seed plan repeated to 1 MiB and to 10 MiB (and, likewise, a plan flattened from a PDF,
 * which goes through the soft-wrap joiner first) and reports MB/s, how the time scales
 * (10 MiB / 1 MiB must stay ≤ 12: a province uploads long compilations, and anything worse than
 * linear would turn minutes into hours), and the cost relative to a single regex pass over the
 * same text, measured side by side so the ratio holds on any machine. Exits 1 if scaling breaks.
 *
 * Options: --runs N (default 5; the median is reported).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parsePlan } from '../src/plan-parser/index.ts';

const MIB = 1024 * 1024;
const MAX_SCALING_RATIO = 12;

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Math.max(1, Number.parseInt(values.runs, 10) || 5);

const seed = readFileSync(fileURLToPath(new URL('../samples/hebi-2018-baicheng.txt', import.meta.url)), 'utf8');

// The seed, one newline between copies, repeated until it reaches 1 MiB; the large input is exactly
// ten times that many copies, so the time ratio measures scaling and nothing else.
const copy = `${seed}\n`;
const copiesPerMib = Math.ceil(MIB / Buffer.byteLength(copy, 'utf8'));

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function time(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

// The baseline: the cheapest full scan that still touches every character through the regex engine.
function regexPass(text: string): number {
  let count = 0;
  for (const _ of text.matchAll(/\d+/g)) count++;
  return count;
}

interface Row {
  label: string;
  bytes: number;
  chars: number;
  tasks: number;
  parseMs: number;
  regexMs: number;
}

function measure(label: string, text: string, samples: number): Row {
  const parseTimes: number[] = [];
  const regexTimes: number[] = [];
  let tasks = 0;
  // One untimed pass per size: the first pass over a new size pays for growing the heap.
  parsePlan(text);
  regexPass(text);
  // Interleaved so that drift in machine load (other processes, thermal) hits both equally.
  for (let i = 0; i < samples; i++) {
    parseTimes.push(
      time(() => {
        tasks = parsePlan(text).tasks.length;
      }),
    );
    regexTimes.push(time(() => regexPass(text)));
  }
  return {
    label,
    bytes: Buffer.byteLength(text, 'utf8'),
    chars: text.length,
    tasks,
    parseMs: median(parseTimes),
    regexMs: median(regexTimes),
  };
}

// Warm-up: let the JIT compile the parser and the regex before anything is timed.
for (let i = 0; i < 3; i++) {
  parsePlan(seed);
  regexPass(seed);
}

// The small input takes a tenth of the time, so it gets more samples for an equally stable median.
const rows = [measure('1 MiB', copy.repeat(copiesPerMib), runs * 3), measure('10 MiB', copy.repeat(copiesPerMib * 10), runs)];
const scaling = rows[1].parseMs / rows[0].parseMs;
// A plan flattened from a PDF (its page's line breaks kept, issue 18): the soft-wrap joiner runs first.
const wrapped = `${readFileSync(fileURLToPath(new URL('../src/plan-parser/fixtures/unseen/guangzhou-2012-keji-chuangxin-pdftotext.txt', import.meta.url)), 'utf8')}\n`;
const wrappedPerMib = Math.ceil(MIB / Buffer.byteLength(wrapped, 'utf8'));
parsePlan(wrapped);
rows.push(measure('PDF 1 MiB', wrapped.repeat(wrappedPerMib), runs * 3), measure('PDF 10 MiB', wrapped.repeat(wrappedPerMib * 10), runs));
const wrappedScaling = rows[3].parseMs / rows[2].parseMs;

const table = [
  ['input', 'MiB', 'chars', 'tasks', 'parse ms', 'MB/s', 'regex ms', 'parse/regex'],
  ...rows.map((r) => [
    r.label,
    (r.bytes / MIB).toFixed(2),
    r.chars.toLocaleString('en-US'),
    r.tasks.toLocaleString('en-US'),
    r.parseMs.toFixed(1),
    (r.bytes / MIB / (r.parseMs / 1000)).toFixed(2),
    r.regexMs.toFixed(1),
    (r.parseMs / r.regexMs).toFixed(1),
  ]),
];
const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';

console.log(`Plan parser — Node ${process.version}, ${availableParallelism()} cores (${cpu}), median of ${runs} runs`);
console.log(
  `seed: ${Buffer.byteLength(seed, 'utf8').toLocaleString('en-US')} bytes × ${copiesPerMib} and × ${copiesPerMib * 10}; MB/s = MiB of UTF-8 per second\n`,
);
for (const row of table) console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
const verdict = (r: number) => (r <= MAX_SCALING_RATIO ? 'ok' : 'TOO SLOW: parsing is not linear');
console.log(`\n10 MiB / 1 MiB time ratio: ${scaling.toFixed(2)} (limit ${MAX_SCALING_RATIO}) ${verdict(scaling)}`);
console.log(
  `PDF-flattened 10 MiB / 1 MiB time ratio: ${wrappedScaling.toFixed(2)} (limit ${MAX_SCALING_RATIO}) ${verdict(wrappedScaling)}`,
);

if (scaling > MAX_SCALING_RATIO || wrappedScaling > MAX_SCALING_RATIO) process.exitCode = 1;
