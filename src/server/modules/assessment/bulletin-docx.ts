/**
 * The .docx of a 通报 in the GB/T 9704-2012 layout: the page, margins and a 22 × 28 document grid
 * set on the section, so Word lays out 22 lines of 28 characters; the official faces named with
 * the East-Asian font attribute (仿宋_GB2312 for text, 方正小标宋简体 for the 标志 and title), so an
 * office PC that has them shows them; odd and even footers carry "— N —" right and left.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  DocumentGridType,
  Footer,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { BulletinContent } from '../../../shared/schemas/assessment.schema.ts';
import { BODY_PT, LINES_PER_PAGE, PAGE_NUMBER_PT, TABLE_PT, TITLE_PT } from './bulletin-layout.ts';

const TWIP_PER_MM = 1440 / 25.4;
const tw = (mm: number) => Math.round(mm * TWIP_PER_MM);
const FANGSONG = { eastAsia: '仿宋_GB2312', ascii: 'Times New Roman', hAnsi: 'Times New Roman' };
const XIAOBIAOSONG = { eastAsia: '方正小标宋简体', ascii: 'Times New Roman', hAnsi: 'Times New Roman' };
const SONG = { eastAsia: '宋体', ascii: 'Times New Roman', hAnsi: 'Times New Roman' };
const RED = 'E60012';
const half = (pt: number) => pt * 2;

// A hair of negative tracking (−0.25 pt) puts 28 characters of 16 pt on the 156 mm line, as the
// standard's grid does; a line-only document grid gives the 22 lines (a character grid would be
// computed by Word and LibreOffice from the Normal style's size, not the run's).
const TRACKING = -5;
const run = (text: string, size = BODY_PT, font = FANGSONG, extra: { color?: string; bold?: boolean } = {}) =>
  new TextRun({ text, size: half(size), font, characterSpacing: size === BODY_PT ? TRACKING : 0, ...extra });

function para(
  text: string,
  opts: {
    align?: (typeof AlignmentType)[keyof typeof AlignmentType];
    indent?: boolean;
    size?: number;
    font?: typeof FANGSONG;
    color?: string;
  } = {},
) {
  return new Paragraph({
    alignment: opts.align ?? AlignmentType.JUSTIFIED,
    indent: opts.indent ? { firstLine: 2 * BODY_PT * 20 } : undefined,
    children: [run(text, opts.size, opts.font, { color: opts.color })],
  });
}

function table(t: { header: string[]; rows: string[][] }): Table {
  const row = (cells: string[], header: boolean) =>
    new TableRow({
      tableHeader: header,
      children: cells.map(
        (c) =>
          new TableCell({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [run(c, TABLE_PT, header ? { ...FANGSONG, eastAsia: '黑体' } : FANGSONG)],
              }),
            ],
          }),
      ),
    });
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [row(t.header, true), ...t.rows.map((r) => row(r, false))] });
}

function footer(align: 'left' | 'right'): Footer {
  // 4号 page numbers, one character in from the edge of the text block.
  return new Footer({
    children: [
      new Paragraph({
        alignment: align === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: align === 'right' ? { right: half(PAGE_NUMBER_PT) * 10 } : { left: half(PAGE_NUMBER_PT) * 10 },
        children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], size: half(PAGE_NUMBER_PT), font: SONG })],
      }),
    ],
  });
}

/** Renders the bulletin as .docx bytes. */
export async function renderBulletinDocx(c: BulletinContent): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    // 发文机关标志: red, on one line, at most 22 mm a character.
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [run(c.issuer, Math.floor(Math.min(62, (156 * 2.835) / [...c.issuer].length - 1, 40)), XIAOBIAOSONG, { color: RED })],
    }),
    new Paragraph({ children: [] }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      // The red rule under the 字号, the width of the text block.
      border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: RED, space: 8 } },
      children: [run(c.docNumber)],
    }),
    new Paragraph({ children: [] }),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [run(c.title, TITLE_PT, XIAOBIAOSONG)] }),
    new Paragraph({ children: [] }),
  ];
  if (c.addressee) children.push(para(c.addressee));
  for (const p of c.paragraphs) {
    if (p === '[TABLE]') {
      if (c.table.caption) children.push(para(c.table.caption, { align: AlignmentType.CENTER }));
      children.push(table(c.table));
    } else children.push(para(p, { indent: true }));
  }
  children.push(new Paragraph({ children: [] }), new Paragraph({ children: [] }));
  if (c.signature) children.push(para(c.signature, { align: AlignmentType.RIGHT }));
  if (c.date) children.push(para(c.date, { align: AlignmentType.RIGHT }));
  c.attachments.forEach((a, i) => {
    children.push(
      new Paragraph({ children: [new PageBreak()] }),
      para(`附件${c.attachments.length > 1 ? i + 1 : ''}`, { font: { ...FANGSONG, eastAsia: '黑体' } }),
    );
    children.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [run(a.title, TITLE_PT, XIAOBIAOSONG)] }), table(a));
  });
  // 版记: copy-to and printing lines between rules.
  const [org, date] = c.printedBy.split('\t');
  children.push(new Paragraph({ children: [] }));
  if (c.copyTo) {
    children.push(
      new Paragraph({
        border: { top: { style: BorderStyle.SINGLE, size: 8, color: '000000', space: 4 } },
        indent: { left: 280, right: 280 },
        children: [run(c.copyTo, 14)],
      }),
    );
  }
  children.push(
    new Paragraph({
      border: {
        top: { style: BorderStyle.SINGLE, size: 4, color: '000000', space: 4 },
        bottom: { style: BorderStyle.SINGLE, size: 8, color: '000000', space: 4 },
      },
      indent: { left: 280, right: 280 },
      tabStops: [{ type: 'right', position: tw(156) - 560 }],
      children: [run(`${org ?? ''}\t${date ?? ''}`, 14)],
    }),
  );
  const doc = new Document({
    evenAndOddHeaderAndFooters: true,
    styles: { default: { document: { run: { font: FANGSONG, size: half(BODY_PT) } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: tw(210), height: tw(297) },
            margin: { top: tw(37), bottom: tw(35), left: tw(28), right: tw(26), footer: tw(35 - 7 - 5) },
          },
          // 22 lines of 28 characters on 156 × 225 mm.
          grid: { type: DocumentGridType.LINES, linePitch: Math.round(tw(225) / LINES_PER_PAGE) },
        },
        footers: { default: footer('right'), even: footer('left') },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
