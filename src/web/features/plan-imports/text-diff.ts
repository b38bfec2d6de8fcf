/** One run of a text diff: text kept, removed from `before`, or added in `after`. */
export interface DiffPart {
  kind: 'equal' | 'delete' | 'insert';
  text: string;
}

/** Beyond this many edits a character diff stops being readable (and costs memory): compare phrases. */
const MAX_CHAR_EDITS = 600;
const MAX_TOKEN_EDITS = 400;

// Phrases end at Chinese or ASCII punctuation and whitespace; the delimiter stays with its phrase.
const PHRASE = /[^，。；：、,.;:！？!?()（）\s]*[，。；：、,.;:！？!?()（）\s]?/gu;

/** Splits clause text into phrases ending at punctuation, for the coarse fallback. */
export function splitPhrases(text: string): string[] {
  return (text.match(PHRASE) ?? []).filter((p) => p.length > 0);
}

/**
 * Myers' O((N+M)·D) shortest edit script over two token arrays. Returns null when the script
 * would exceed `maxEdits`, so the caller can fall back to a coarser comparison.
 */
function myers(a: readonly string[], b: readonly string[], maxEdits: number): DiffPart[] | null {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  if (!found) return null;

  // Walk the trace back from (n, m), emitting parts in reverse.
  const reversed: DiffPart[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      reversed.push({ kind: 'equal', text: a[x - 1] });
      x--;
      y--;
    }
    if (d > 0) {
      if (x === prevX) reversed.push({ kind: 'insert', text: b[y - 1] });
      else reversed.push({ kind: 'delete', text: a[x - 1] });
    }
    x = prevX;
    y = prevY;
  }
  return reversed.reverse();
}

/** Joins neighbouring parts of the same kind, and puts a deletion before the insertion it pairs with. */
function mergeParts(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  let i = 0;
  while (i < parts.length) {
    if (parts[i].kind === 'equal') {
      let text = '';
      while (i < parts.length && parts[i].kind === 'equal') text += parts[i++].text;
      out.push({ kind: 'equal', text });
      continue;
    }
    let deleted = '';
    let inserted = '';
    while (i < parts.length && parts[i].kind !== 'equal') {
      if (parts[i].kind === 'delete') deleted += parts[i].text;
      else inserted += parts[i].text;
      i++;
    }
    if (deleted) out.push({ kind: 'delete', text: deleted });
    if (inserted) out.push({ kind: 'insert', text: inserted });
  }
  return out;
}

/**
 * A single kept character between two changes reads as noise ("改造提升" vs "新建" sharing "建"):
 * fold it into the change on both sides.
 */
function absorbTinyEqualities(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const isChangeBefore = i > 0 && parts[i - 1].kind !== 'equal';
    const isChangeAfter = i + 1 < parts.length && parts[i + 1].kind !== 'equal';
    if (part.kind === 'equal' && part.text.length <= 1 && isChangeBefore && isChangeAfter) {
      out.push({ kind: 'delete', text: part.text }, { kind: 'insert', text: part.text });
    } else out.push(part);
  }
  return mergeParts(out);
}

/**
 * A readable before → after diff of two clauses: shared prefix and suffix trimmed, then a
 * character-level Myers diff (near-linear when the texts are close); when the texts differ too
 * much for that, a phrase-level diff; failing that, all deleted and all inserted.
 */
export function diffText(before: string, after: string): DiffPart[] {
  if (before === after) return before ? [{ kind: 'equal', text: before }] : [];
  let start = 0;
  const limit = Math.min(before.length, after.length);
  while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < limit - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) {
    end++;
  }
  const prefix = before.slice(0, start);
  const suffix = before.slice(before.length - end);
  const a = before.slice(start, before.length - end);
  const b = after.slice(start, after.length - end);

  const middle = myers(Array.from(a), Array.from(b), MAX_CHAR_EDITS) ??
    myers(splitPhrases(a), splitPhrases(b), MAX_TOKEN_EDITS) ?? [
      { kind: 'delete' as const, text: a },
      { kind: 'insert' as const, text: b },
    ];
  const parts: DiffPart[] = [];
  if (prefix) parts.push({ kind: 'equal', text: prefix });
  parts.push(...middle);
  if (suffix) parts.push({ kind: 'equal', text: suffix });
  return absorbTinyEqualities(mergeParts(parts.filter((p) => p.text.length > 0)));
}

/** The `before` text (equal + delete parts) and the `after` text (equal + insert parts) of a diff. */
export function sidesOf(parts: DiffPart[]): { before: string; after: string } {
  let before = '';
  let after = '';
  for (const p of parts) {
    if (p.kind !== 'insert') before += p.text;
    if (p.kind !== 'delete') after += p.text;
  }
  return { before, after };
}
