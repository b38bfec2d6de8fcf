/**
 * Text flattened from a PDF (pdftotext) or read by OCR keeps the printed page's line breaks: every
 * paragraph is cut into lines of the page width, so a heading, an assignment bracket or a unit name
 * ("配合单\n位") can be split across two lines. The scanners read one logical line at a time, so such a
 * document is first re-joined: a line as wide as the page that does not end a sentence runs on into
 * the next one. Only a document whose lines mostly share one width is touched; a text written one
 * paragraph per line (as every plan typed or copied from a web page is) comes back unchanged.
 *
 * The joined copy also drops the spaces a PDF or OCR puts between Chinese and Latin digits
 * ("到 2015 年", "达 35%"). `map[i]` is the offset in the original text of the joined text's i-th
 * character (and `map[length]` the original length), so spans found on the copy can be moved back.
 */

/** The joined text and, per character, its offset in the original. */
export interface JoinedText {
  text: string;
  map: Int32Array;
}

const MIN_LINES = 6;
const MIN_WIDTH = 30;
/** A line this much narrower than the page (in half-width cells) ends its paragraph. */
const SLACK = 6;
const SENTENCE_END_RE = /[。！？!?；;：:]$/;
// A line that starts a heading never continues the line before it.
const HEADING_START_RE =
  /^[\s\f\u3000]*(?:[一二三四五六七八九十]{1,3}\s?[、.．]|[（(〈][一二三四五六七八九十\d]{1,3}[)）〉]|\d{1,2}\s?[.．、](?!\d)|第[一二三四五六七八九十]{1,3}[章节条部分篇]|附件|附表)/;
const CJK = '\\u3000-\\u303f\\u4e00-\\u9fff\\uff00-\\uffef';
// …and around the point of a decimal: "2 . 5%".
const SPACE_BEFORE_LATIN_RE = new RegExp(
  `(?<=[${CJK}])[ \\t]+(?=[0-9A-Za-z%])|(?<=[0-9A-Za-z%])[ \\t]+(?=[${CJK}])|(?<=\\d)[ \\t]+(?=[.．][ \\t]*\\d)|(?<=\\d[ \\t]*[.．])[ \\t]+(?=\\d)`,
  'g',
);

/** Display width in half-width cells: CJK and full-width forms take two (char codes, no regex: hot). */
function widthOf(line: string): number {
  let w = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x0c || c === 0x0d) continue;
    w +=
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x1100 && c <= 0x115f)
        ? 2
        : 1;
  }
  return w;
}

/**
 * The page width of a wrapped document: the width most lines share (within two cells), or null when
 * no width is shared by enough lines for the text to be a printed page's lines.
 */
function pageWidth(widths: number[]): number | null {
  const long = widths.filter((w) => w >= MIN_WIDTH);
  if (long.length < MIN_LINES) return null;
  const counts = new Map<number, number>();
  for (const w of long) counts.set(w, (counts.get(w) ?? 0) + 1);
  let best = 0;
  let bestCount = 0;
  for (const w of counts.keys()) {
    let c = 0;
    for (let d = -2; d <= 2; d++) c += counts.get(w + d) ?? 0;
    if (c > bestCount || (c === bestCount && w > best)) {
      best = w;
      bestCount = c;
    }
  }
  // Printed lines: a third of the long lines share the width, and it is the widest common width.
  if (bestCount < Math.max(MIN_LINES, long.length / 3)) return null;
  const wider = long.filter((w) => w > best + 4).length;
  if (wider > long.length / 5) return null;
  return best;
}

/** Opening minus closing brackets on a line, counting only the assignment-style ones. */
function bracketBalance(line: string): number {
  let n = 0;
  for (const ch of line) {
    if (ch === '(' || ch === '（' || ch === '〈') n++;
    else if (ch === ')' || ch === '）' || ch === '〉') n--;
  }
  return n;
}

/** Joins the soft line breaks of a wrapped document, or returns null when the text is not wrapped. */
export function joinSoftWraps(text: string): JoinedText | null {
  if (!text.includes('\n')) return null;
  const lines = text.split('\n');
  const widths = lines.map(widthOf);
  const width = pageWidth(widths);
  if (width === null) return null;
  // Offsets of the line starts in the original text.
  const starts: number[] = [];
  let at = 0;
  for (const l of lines) {
    starts.push(at);
    at += l.length + 1;
  }
  // Kept pieces of the original, as [from, to) offsets: sliced and mapped in bulk, never per character.
  const pieces: number[] = [];
  const keep = (from: number, to: number) => {
    if (to > from) pieces.push(from, to);
  };
  // Brackets opened and not yet closed in the paragraph being joined: a break inside one is soft.
  let open = 0;
  const isBlank = (k: number) => k < lines.length && lines[k].replace(/[\s\f\u3000]/g, '').length === 0;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const body = line.replace(/[\s\f]+$/, '');
    open = Math.max(0, open + bracketBalance(line));
    let j = i + 1;
    // OCR leaves a blank line inside a bracket that runs over a line ("市国资委、\n\n市经贸委）").
    if (open > 0 && isBlank(j) && j + 1 < lines.length && /[)）〉]/.test(lines[j + 1])) j++;
    const next = j < lines.length ? lines[j] : null;
    const continues = open > 0 ? !/[)）〉]$/.test(body) : widths[i] >= width - SLACK && !SENTENCE_END_RE.test(body);
    const runsOn = next !== null && continues && !isBlank(j) && !HEADING_START_RE.test(next);
    if (runsOn) {
      keep(starts[i], starts[i] + body.length);
      // The next line's own leading blanks and form feed go too: the paragraph continues.
      const lead = next.length - next.replace(/^[\s\f\u3000]+/, '').length;
      lines[j] = next.slice(lead);
      starts[j] += lead;
      widths[j] = widthOf(lines[j]);
      i = j;
    } else {
      open = 0;
      // The line with its line break (the last line has none).
      keep(starts[i], Math.min(text.length, starts[i] + line.length + 1));
      i++;
    }
  }
  const parts: string[] = [];
  let length = 0;
  for (let k = 0; k < pieces.length; k += 2) {
    parts.push(text.slice(pieces[k], pieces[k + 1]));
    length += pieces[k + 1] - pieces[k];
  }
  const joined = parts.join('');
  const map1 = new Int32Array(length);
  let filled = 0;
  for (let k = 0; k < pieces.length; k += 2) {
    for (let o = pieces[k]; o < pieces[k + 1]; o++) map1[filled++] = o;
  }
  // Spaces between Chinese and Latin digits or letters were put there by the PDF or the OCR.
  const out: string[] = [];
  const spans: number[] = [];
  let last = 0;
  SPACE_BEFORE_LATIN_RE.lastIndex = 0;
  for (let m = SPACE_BEFORE_LATIN_RE.exec(joined); m; m = SPACE_BEFORE_LATIN_RE.exec(joined)) {
    spans.push(last, m.index);
    last = m.index + m[0].length;
  }
  spans.push(last, joined.length);
  let total = 0;
  for (let k = 0; k < spans.length; k += 2) total += spans[k + 1] - spans[k];
  const map = new Int32Array(total + 1);
  let to = 0;
  for (let k = 0; k < spans.length; k += 2) {
    out.push(joined.slice(spans[k], spans[k + 1]));
    map.set(map1.subarray(spans[k], spans[k + 1]), to);
    to += spans[k + 1] - spans[k];
  }
  map[total] = text.length;
  return { text: out.join(''), map };
}

/** Moves a span found on the joined text back onto the original text. */
export function unmapSpan(span: readonly [number, number], map: Int32Array): [number, number] {
  const [a, b] = span;
  const last = map.length - 1;
  const start = map[Math.min(Math.max(a, 0), last)];
  const end = b > a ? map[Math.min(b - 1, last)] + 1 : start;
  return [start, Math.max(start, end)];
}
