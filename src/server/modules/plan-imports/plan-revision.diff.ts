/**
 * Matches the clauses of a revised plan to the tasks of the plan it revises, so that tasks that
 * survive a revision keep their ids (and with them their history, reports and assessments).
 * Pure: the service loads the tasks and stores the result.
 */
import type { PlanRevisionDiff } from '../../../shared/schemas/plan-import.schema.ts';

export interface ExistingTask {
  id: string;
  seq: number;
  text: string;
}

/** Same clause (whitespace, punctuation or a character or two aside, same figures). */
export const UNCHANGED_SIMILARITY = 0.98;
/** The same clause reworded: below this a clause counts as removed and another as added. */
export const EDITED_SIMILARITY = 0.6;

/** NFKC, without whitespace and punctuation: "，" and "," or a line break must not count as edits. */
export function normaliseClause(text: string): string {
  return text.normalize('NFKC').replace(/[\s\p{P}\p{S}]/gu, '');
}

function bigrams(text: string): Map<string, number> {
  const chars = [...text];
  const out = new Map<string, number>();
  for (let i = 0; i + 1 < chars.length; i++) {
    const b = chars[i] + chars[i + 1];
    out.set(b, (out.get(b) ?? 0) + 1);
  }
  return out;
}

interface Prepared {
  norm: string;
  grams: Map<string, number>;
  size: number;
  figures: string;
}

function prepare(text: string): Prepared {
  const norm = normaliseClause(text);
  const grams = bigrams(norm);
  let size = 0;
  for (const n of grams.values()) size += n;
  // Figures (dates, quantities) decide what a unit is held to: a changed number is never "unchanged".
  const figures = (text.normalize('NFKC').match(/\d+(?:\.\d+)?/g) ?? []).join(',');
  return { norm, grams, size, figures };
}

function dice(a: Prepared, b: Prepared): number {
  if (a.norm === b.norm) return 1;
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.grams.size <= b.grams.size ? [a.grams, b.grams] : [b.grams, a.grams];
  let shared = 0;
  for (const [g, n] of small) shared += Math.min(n, large.get(g) ?? 0);
  return (2 * shared) / (a.size + b.size);
}

/** Character-bigram Dice coefficient of two clauses after normalisation (1 = same text). */
export function clauseSimilarity(a: string, b: string): number {
  return dice(prepare(a), prepare(b));
}

/**
 * Identical clauses pair first (in document order); the rest pair greedily by descending
 * similarity, one-to-one, down to EDITED_SIMILARITY. A pair at or above UNCHANGED_SIMILARITY with
 * the same figures is unchanged; any other pair is edited; what is left is added or removed.
 */
export function diffPlanRevision(planId: string, existing: ExistingTask[], clauses: string[]): PlanRevisionDiff {
  const olds = existing.map((t) => prepare(t.text));
  const news = clauses.map(prepare);
  const oldTaken = new Array<boolean>(existing.length).fill(false);
  const newTaken = new Array<boolean>(clauses.length).fill(false);
  const pairs: { o: number; n: number; similarity: number }[] = [];

  const byNorm = new Map<string, number[]>();
  olds.forEach((p, o) => {
    const list = byNorm.get(p.norm);
    if (list) list.push(o);
    else byNorm.set(p.norm, [o]);
  });
  news.forEach((p, n) => {
    const o = byNorm.get(p.norm)?.shift();
    if (o === undefined) return;
    oldTaken[o] = true;
    newTaken[n] = true;
    pairs.push({ o, n, similarity: 1 });
  });

  const candidates: { o: number; n: number; similarity: number }[] = [];
  for (let n = 0; n < news.length; n++) {
    if (newTaken[n]) continue;
    for (let o = 0; o < olds.length; o++) {
      if (oldTaken[o]) continue;
      const a = news[n];
      const b = olds[o];
      // Dice can be at most 2·min/(a+b): skip pairs whose lengths alone rule a match out.
      if ((2 * Math.min(a.size, b.size)) / Math.max(1, a.size + b.size) < EDITED_SIMILARITY) continue;
      const similarity = dice(a, b);
      if (similarity >= EDITED_SIMILARITY) candidates.push({ o, n, similarity });
    }
  }
  // Ties keep document order, so equal rewordings pair in sequence.
  candidates.sort((x, y) => y.similarity - x.similarity || x.n - y.n || x.o - y.o);
  for (const c of candidates) {
    if (oldTaken[c.o] || newTaken[c.n]) continue;
    oldTaken[c.o] = true;
    newTaken[c.n] = true;
    pairs.push(c);
  }

  const diff: PlanRevisionDiff = { planId, unchanged: [], edited: [], added: [], removed: [] };
  pairs.sort((x, y) => x.n - y.n);
  for (const { o, n, similarity } of pairs) {
    const isSame = similarity === 1 || (similarity >= UNCHANGED_SIMILARITY && olds[o].figures === news[n].figures);
    if (isSame) diff.unchanged.push({ taskId: existing[o].id, taskIndex: n });
    else {
      diff.edited.push({
        taskId: existing[o].id,
        taskIndex: n,
        similarity: Math.round(similarity * 1000) / 1000,
        before: existing[o].text,
        after: clauses[n],
      });
    }
  }
  clauses.forEach((text, n) => {
    if (!newTaken[n]) diff.added.push({ taskIndex: n, text });
  });
  existing.forEach((t, o) => {
    if (!oldTaken[o]) diff.removed.push({ taskId: t.id, seq: t.seq, text: t.text });
  });
  return diff;
}
