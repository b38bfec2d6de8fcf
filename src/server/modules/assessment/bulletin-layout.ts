/**
 * The GB/T 9704-2012 page of a 通报 and the line layout both renderers share: A4; text block
 * 156 × 225 mm at top 37 mm, left 28 mm; 22 lines of 28 characters of 3号 (16 pt) body text; the
 * 2号 (22 pt) title; page numbers "— N —" in 4号, odd pages right and even pages left, one
 * character in from the text block, 7 mm below it.
 */
import type { BulletinContent } from '../../../shared/schemas/assessment.schema.ts';

export const MM = 72 / 25.4;
export const PAGE = { width: 210 * MM, height: 297 * MM } as const;
export const BLOCK = { left: 28 * MM, top: 37 * MM, width: 156 * MM, height: 225 * MM } as const;
export const LINES_PER_PAGE = 22;
export const CHARS_PER_LINE = 28;
export const BODY_PT = 16;
export const TITLE_PT = 22;
export const PAGE_NUMBER_PT = 14;
export const TABLE_PT = 12;
/** The line pitch: 225 mm / 22 lines. */
export const LINE_PITCH = BLOCK.height / LINES_PER_PAGE;
/** The character pitch: 156 mm / 28 characters (a hair under 16 pt: the standard's grid). */
export const CHAR_PITCH = BLOCK.width / CHARS_PER_LINE;

/** One laid-out line: a slot of the 22 on a page. */
export type Line =
  | { kind: 'mark'; text: string }
  | { kind: 'number'; text: string }
  | { kind: 'rule' }
  | { kind: 'title'; text: string }
  | { kind: 'text'; text: string; align: 'left' | 'right' | 'center'; indent: number }
  | { kind: 'row'; cells: string[]; widths: number[]; header: boolean }
  | { kind: 'blank' }
  | { kind: 'pagebreak' }
  | { kind: 'imprint'; left: string; right: string; ruleAbove: boolean; ruleBelow: boolean };

// Characters that may not begin a line (避头点): closing punctuation moves up to the line before.
const NO_LINE_START = new Set('，。、；：？！）》」』〕”’%…—·'.split(''));

/** Visual width in character cells: CJK and full-width count 1, ASCII half. */
export function cells(s: string): number {
  let n = 0;
  for (const ch of s) n += ch.charCodeAt(0) < 0x2e80 && ch !== '—' ? 0.5 : 1;
  return n;
}

/** Breaks text into lines of at most `width` cells (the first with `indent` cells of indent), keeping punctuation off a line's start. */
export function breakLines(text: string, width: number, indent = 0): string[] {
  const out: string[] = [];
  let line = '';
  let room = width - indent;
  for (const ch of [...text]) {
    if (cells(line) + cells(ch) > room) {
      if (NO_LINE_START.has(ch)) {
        line += ch; // hang it on this line (the standard tolerates it)
        continue;
      }
      out.push(line);
      line = '';
      room = width;
    }
    line += ch;
  }
  if (line !== '' || out.length === 0) out.push(line);
  return out;
}

function tableLines(t: { header: string[]; rows: string[][] }): Line[] {
  const cols = Math.max(t.header.length, ...t.rows.map((r) => r.length), 1);
  // Column widths in cells of the table's font from the longest entry, scaled to the block.
  const want = Array.from({ length: cols }, (_, i) => Math.max(2, cells(t.header[i] ?? ''), ...t.rows.map((r) => cells(r[i] ?? ''))) + 1);
  const sum = want.reduce((a, b) => a + b, 0);
  const widths = want.map((w) => w / sum);
  return [
    { kind: 'row', cells: t.header, widths, header: true },
    ...t.rows.map((r) => ({ kind: 'row' as const, cells: r, widths, header: false })),
  ];
}

/** The whole bulletin as lines (page breaks explicit; the renderers also break every 22 lines). */
export function layoutBulletin(c: BulletinContent): Line[] {
  const lines: Line[] = [];
  const para = (text: string, indent = 2, align: 'left' | 'right' | 'center' = 'left') =>
    breakLines(text, CHARS_PER_LINE, indent).forEach((t, i) => {
      lines.push({ kind: 'text', text: t, align, indent: i === 0 ? indent : 0 });
    });
  lines.push(
    { kind: 'mark', text: c.issuer },
    { kind: 'blank' },
    { kind: 'number', text: c.docNumber },
    { kind: 'rule' },
    { kind: 'blank' },
  );
  // A long title goes on lines of even length (at most 20 of 22 pt on the line, not 20 and an orphan).
  const titleChars = [...c.title].length;
  for (const t of breakLines(c.title, Math.ceil(titleChars / Math.ceil(titleChars / 20)))) lines.push({ kind: 'title', text: t });
  lines.push({ kind: 'blank' });
  if (c.addressee) para(c.addressee, 0);
  for (const p of c.paragraphs) {
    if (p === '[TABLE]') {
      if (c.table.caption) para(c.table.caption, 0, 'center');
      lines.push(...tableLines(c.table));
    } else para(p);
  }
  lines.push({ kind: 'blank' }, { kind: 'blank' });
  if (c.signature) para(c.signature, 0, 'right');
  if (c.date) para(c.date, 0, 'right');
  c.attachments.forEach((a, i) => {
    lines.push(
      { kind: 'pagebreak' },
      { kind: 'text', text: `附件${c.attachments.length > 1 ? i + 1 : ''}`, align: 'left', indent: 0 },
      { kind: 'blank' },
    );
    lines.push({ kind: 'title', text: a.title });
    lines.push({ kind: 'blank' }, ...tableLines(a));
  });
  return lines;
}

/** Splits lines into pages of 22 (explicit breaks honoured); the 版记 goes on the last lines of the last page. */
export function paginate(lines: Line[], imprint: Line[]): Line[][] {
  const pages: Line[][] = [[]];
  for (const l of lines) {
    const page = pages[pages.length - 1]!;
    if (l.kind === 'pagebreak') {
      if (page.length > 0) pages.push([]);
      continue;
    }
    if (page.length === LINES_PER_PAGE) pages.push([l]);
    else page.push(l);
  }
  let last = pages[pages.length - 1]!;
  if (last.length + imprint.length > LINES_PER_PAGE) {
    pages.push([]);
    last = pages[pages.length - 1]!;
  }
  while (last.length < LINES_PER_PAGE - imprint.length) last.push({ kind: 'blank' });
  last.push(...imprint);
  return pages;
}

/** The 版记 (copy-to and printing lines, between rules) at the foot of the last page. */
export function imprintLines(c: BulletinContent): Line[] {
  const out: Line[] = [];
  if (c.copyTo) out.push({ kind: 'imprint', left: c.copyTo, right: '', ruleAbove: true, ruleBelow: false });
  const [org, date] = c.printedBy.split('\t');
  out.push({ kind: 'imprint', left: org ?? '', right: date ?? '', ruleAbove: true, ruleBelow: true });
  return out;
}

/** "— N —" and where it goes: odd pages right, even pages left, one character (4号) in. */
export function pageNumber(n: number): { text: string; align: 'left' | 'right' } {
  return { text: `— ${n} —`, align: n % 2 === 1 ? 'right' : 'left' };
}

/** Every character the renderers print (for the font coverage check). */
export function printedText(pages: Line[][]): string {
  const parts: string[] = [];
  pages.forEach((p, i) => {
    parts.push(pageNumber(i + 1).text);
    for (const l of p) {
      if ('text' in l) parts.push(l.text);
      if (l.kind === 'row') parts.push(...l.cells);
      if (l.kind === 'imprint') parts.push(l.left, l.right);
    }
  });
  return parts.join('');
}
