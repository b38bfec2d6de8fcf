#!/usr/bin/env node
/**
 * Re-makes the OCR'd and PDF-flattened plan fixtures of issue 18 (src/plan-parser/fixtures/unseen/
 * NAME-ocr.txt and NAME-pdftotext.txt, each with its re-anchored gold):
 *
 *   node scripts/make-ocr-fixtures.mjs [NAME …]
 *
 * For each clean fixture NAME: LibreOffice renders NAME.txt to a PDF (as a city office prints a plan),
 * `pdftotext` flattens the PDF (wrapped lines, a form feed per page), and `pdftoppm -r 200` rasterises
 * it page by page for `tesseract -l chi_sim` (genuine OCR, with the errors tesseract makes). The
 * tests never run this: they read the committed texts, so neither LibreOffice nor tesseract is needed
 * to run them. Needs libreoffice, pdftotext, pdftoppm and tesseract (with chi_sim) on the PATH.
 *
 * The gold is the clean document's gold: sections, units and deadlines are what the document says,
 * whatever the OCR made of them. Only offsets move: each assignment anchor is mapped into the new text
 * through unique 8-character runs shared by both texts (compared without whitespace, NFKC-folded) and
 * snapped to the bracket or label word that opens the assignment. A target whose number and unit no
 * longer occur as often in the new text as in the clean one is marked optional, as the labelling
 * contract allows for garbled digits. The script prints how many anchors, targets and headings the
 * conversion damaged.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIR = join(ROOT, 'src/plan-parser/fixtures/unseen');
const DEFAULT = [
  'guangzhou-2012-keji-chuangxin',
  'guangzhou-2012-dangjian',
  'gov-2018-123-zhengwu-xinmeiti',
  'guangdong-2012-minying-kejiyuan',
];
const names = process.argv.slice(2).length ? process.argv.slice(2) : DEFAULT;

const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });

/** The text without whitespace, NFKC-folded, with the original offset of every kept character. */
function compact(text) {
  let out = '';
  const at = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (/\s/.test(ch)) continue;
    const folded = ch.normalize('NFKC');
    for (const c of folded) {
      out += c;
      at.push(i);
    }
  }
  return { s: out, at };
}

/** Monotone pairs (clean compact index → new compact index) from 8-grams unique in both texts. */
function anchorsBetween(a, b, n = 8) {
  const count = (s) => {
    const m = new Map();
    for (let i = 0; i + n <= s.length; i++) {
      const g = s.slice(i, i + n);
      const e = m.get(g);
      if (e) e.c++;
      else m.set(g, { c: 1, i });
    }
    return m;
  };
  const ma = count(a);
  const mb = count(b);
  const pairs = [];
  for (const [g, ea] of ma) {
    const eb = mb.get(g);
    if (ea.c === 1 && eb && eb.c === 1) pairs.push([ea.i, eb.i]);
  }
  pairs.sort((x, y) => x[0] - y[0]);
  // longest increasing subsequence on the new-text index (patience), so the mapping never runs backwards
  const tails = [];
  const prev = new Array(pairs.length).fill(-1);
  for (let k = 0; k < pairs.length; k++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pairs[tails[mid]][1] < pairs[k][1]) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[k] = tails[lo - 1];
    tails[lo] = k;
  }
  const chain = [];
  for (let k = tails.length ? tails[tails.length - 1] : -1; k >= 0; k = prev[k]) chain.push(pairs[k]);
  return chain.reverse();
}

/** Maps a clean-text offset to the new text, snapping to an opening bracket or a label word nearby. */
function mapOffset(offset, clean, next, chain, label) {
  let ci = clean.at.findIndex((o) => o >= offset);
  if (ci < 0) ci = clean.s.length - 1;
  let best = null;
  for (const [a, b] of chain) {
    if (a > ci) break;
    best = [a, b];
  }
  const ni = best ? Math.min(next.s.length - 1, best[1] + (ci - best[0])) : 0;
  const guess = next.at[ni] ?? 0;
  const window = next.text.slice(Math.max(0, guess - 6), guess + 7);
  const want = label ? [label.slice(0, 2)] : ['（', '(', '〔', '['];
  let snap = null;
  for (const w of want) {
    const k = window.indexOf(w);
    if (k >= 0 && (snap === null || Math.abs(k - 6) < Math.abs(snap - 6))) snap = k;
  }
  return { offset: snap === null ? guess : Math.max(0, guess - 6) + snap, snapped: snap !== null };
}

const occurrences = (hay, needle) => (needle ? hay.split(needle).length - 1 : 0);

function regold(gold, cleanText, newText, source) {
  const clean = compact(cleanText);
  const next = { ...compact(newText), text: newText };
  const chain = anchorsBetween(clean.s, next.s);
  const stats = { anchors: 0, unsnapped: 0, targetsOptional: 0, headingsLost: 0 };
  const markTargets = (list) =>
    list.map((t) => {
      const key = `${t.value}${t.unit}`.normalize('NFKC');
      if (!t.optional && occurrences(next.s, key) < occurrences(clean.s, key)) {
        stats.targetsOptional++;
        return { ...t, optional: true };
      }
      return t;
    });
  const tasks = gold.tasks.map((t) => {
    const label = /^[（(〔[]/.test(t.assignmentText ?? '') ? null : (t.assignmentText ?? '').slice(0, 4);
    const m = mapOffset(t.anchor, clean, next, chain, label);
    stats.anchors++;
    if (!m.snapped) stats.unsnapped++;
    return {
      ...t,
      anchor: m.offset,
      assignmentText: newText.slice(m.offset, m.offset + (t.assignmentText ?? '').length),
      targets: markTargets(t.targets),
    };
  });
  for (const s of gold.sections ?? []) {
    const num = s.path.split('/').pop().normalize('NFKC');
    const head = s.title.normalize('NFKC').replace(/\s/g, '').slice(0, 4);
    if (!next.s.includes(num) || !next.s.includes(head)) stats.headingsLost++;
  }
  const loose = gold.loose
    ? Object.fromEntries(Object.entries(gold.loose).map(([k, v]) => [k, { ...v, targets: markTargets(v.targets) }]))
    : undefined;
  const out = { ...gold, source, tasks };
  if (loose) out.loose = loose;
  return { gold: out, stats };
}

const work = mkdtempSync(join(tmpdir(), 'plan-ocr-'));
try {
  const profile = `file://${join(work, 'lo-profile')}`;
  for (const name of names) {
    let cleanText = readFileSync(join(DIR, `${name}.txt`), 'utf8');
    if (cleanText.charCodeAt(0) === 0xfeff) cleanText = cleanText.slice(1);
    const gold = JSON.parse(readFileSync(join(DIR, `${name}.gold.json`), 'utf8'));
    const d = join(work, name);
    run('mkdir', ['-p', d]);
    writeFileSync(join(d, `${name}.txt`), cleanText);
    run('libreoffice', [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', d, join(d, `${name}.txt`)]);
    const pdf = join(d, `${name}.pdf`);
    run('pdftotext', [pdf, join(d, 'flat.txt')]);
    const flat = readFileSync(join(d, 'flat.txt'), 'utf8');
    run('pdftoppm', ['-r', '200', '-png', pdf, join(d, 'page')]);
    const pages = readdirSync(d)
      .filter((f) => /^page-\d+\.png$/.test(f))
      .sort((x, y) => Number(x.match(/\d+/)[0]) - Number(y.match(/\d+/)[0]));
    const ocr = pages.map((p) => run('tesseract', [join(d, p), '-', '-l', 'chi_sim'], { stdio: ['ignore', 'pipe', 'ignore'] })).join('\n');
    for (const [suffix, text] of [
      ['ocr', ocr],
      ['pdftotext', flat],
    ]) {
      const out = `${name}-${suffix}`;
      const { gold: g, stats } = regold(gold, cleanText, text, `${out}.txt`);
      writeFileSync(join(DIR, `${out}.txt`), text);
      writeFileSync(join(DIR, `${out}.gold.json`), `${JSON.stringify(g, null, 2)}\n`);
      console.log(
        `${out}: ${pages.length} pages, ${text.length} chars; anchors ${stats.anchors} (${stats.unsnapped} not snapped to a bracket/label), ` +
          `targets made optional ${stats.targetsOptional}, headings damaged ${stats.headingsLost}/${(gold.sections ?? []).length}`,
      );
    }
  }
  // the gold files are formatted as the linter wants them (lint covers src/**)
  run(join(ROOT, 'node_modules/.bin/biome'), [
    'format',
    '--write',
    ...names.flatMap((n) => [`${n}-ocr`, `${n}-pdftotext`].map((o) => join(DIR, `${o}.gold.json`))),
  ]);
} finally {
  rmSync(work, { recursive: true, force: true });
}
