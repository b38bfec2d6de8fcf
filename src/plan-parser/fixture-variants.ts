/**
 * Test support: derives the OCR-style and full-width variants of a labelled fixture, with the
 * gold file's anchors moved to the variant's offsets. Used by the fixture score tests only.
 */

/** A gold file in the format read by test/fixtures/eval-plan.mjs (only the fields moved here). */
export interface GoldFile {
  sections?: unknown[];
  loose?: Record<string, unknown>;
  tasks: { anchor: number; [key: string]: unknown }[];
  [key: string]: unknown;
}

export type VariantKind = 'fullwidth' | 'oneline' | 'spaced';

const FULL: Record<string, string> = { ',': '，', ':': '：', ';': '；', '(': '（', ')': '）' };
const CJK_RE = /[\u4e00-\u9fff]/;
const SPACED_WORD_RE = /不(?=少于|低于|超过|大于|小于)/g;

/**
 * Returns the variant text and its gold:
 * - fullwidth: half-width , : ; ( ) written full-width (offsets unchanged);
 * - oneline: every line break removed (the gold loses its outline, as for OCR text);
 * - spaced: a stray space between digits and Chinese characters and inside 不少于-style words
 *   ("2018 年 6 月底前", "不 少于").
 */
export function makeVariant(text: string, gold: GoldFile, kind: VariantKind): { text: string; gold: GoldFile } {
  if (kind === 'fullwidth') {
    return { text: text.replace(/[,:;()]/g, (c) => FULL[c]), gold };
  }
  const map: number[] = new Array(text.length + 1);
  let out = '';
  const spacedAfter = new Set<number>();
  if (kind === 'spaced') for (const m of text.matchAll(SPACED_WORD_RE)) spacedAfter.add(m.index + 1);
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (kind === 'oneline' && ch === '\n') {
      map[i] = out.length;
      continue;
    }
    if (kind === 'spaced' && i > 0) {
      const prev = text[i - 1];
      const isBoundary = (/\d/.test(prev) && CJK_RE.test(ch)) || (CJK_RE.test(prev) && /\d/.test(ch));
      if (isBoundary || spacedAfter.has(i)) out += ' ';
    }
    map[i] = out.length;
    out += ch;
  }
  map[text.length] = out.length;
  const tasks = gold.tasks.map((t) => ({ ...t, anchor: map[t.anchor] }));
  if (kind === 'oneline') {
    const { sections: _s, loose: _l, ...rest } = gold;
    return { text: out, gold: { ...rest, tasks } };
  }
  return { text: out, gold: { ...gold, tasks } };
}
