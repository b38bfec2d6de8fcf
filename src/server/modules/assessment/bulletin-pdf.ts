/**
 * The .pdf of a 通报 in the GB/T 9704-2012 layout. The official faces (仿宋_GB2312, 方正小标宋) are
 * not free, so the PDF embeds Noto Serif SC (OFL, shipped through npm), regular for the text and
 * bold for the 发文机关标志 and title; every printed character is checked against the font.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { BulletinContent } from '../../../shared/schemas/assessment.schema.ts';
import {
  BLOCK,
  BODY_PT,
  CHAR_PITCH,
  LINE_PITCH,
  type Line,
  MM,
  PAGE,
  PAGE_NUMBER_PT,
  TABLE_PT,
  TITLE_PT,
  imprintLines,
  layoutBulletin,
  pageNumber,
  paginate,
  printedText,
} from './bulletin-layout.ts';

const require = createRequire(import.meta.url);
let fonts: { regular: Buffer; bold: Buffer } | null = null;
function loadFonts(): { regular: Buffer; bold: Buffer } {
  fonts ??= {
    regular: readFileSync(require.resolve('@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf')),
    bold: readFileSync(require.resolve('@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf')),
  };
  return fonts;
}

const RED = '#E60012';

/** The characters of `text` the body font has no glyph for (distinct, in order of first use). */
type GlyphFont = { hasGlyphForCodePoint(cp: number): boolean };
let glyphFont: GlyphFont | null = null;

export function missingGlyphs(text: string): string[] {
  if (!glyphFont) {
    const doc = new PDFDocument({ autoFirstPage: false });
    doc.font(loadFonts().regular);
    // pdfkit keeps the fontkit font it embeds on the current font object; parsed once per process.
    glyphFont = (doc as unknown as { _font: { font: GlyphFont } })._font.font;
  }
  const font = glyphFont;
  const out: string[] = [];
  for (const ch of new Set([...text])) if (ch.trim() !== '' && !font.hasGlyphForCodePoint(ch.codePointAt(0)!)) out.push(ch);
  return out;
}

/** The printed characters of a bulletin that the PDF font lacks. */
export function bulletinMissingGlyphs(c: BulletinContent): string[] {
  return missingGlyphs(printedText(paginate(layoutBulletin(c), imprintLines(c))));
}

function drawLine(doc: PDFKit.PDFDocument, l: Line, y: number): void {
  const { left, width } = BLOCK;
  const baselineText = (
    text: string,
    size: number,
    font: 'regular' | 'bold',
    opts: { align: 'left' | 'right' | 'center'; indent?: number; color?: string; spacing?: number },
  ) => {
    doc
      .font(font)
      .fontSize(size)
      .fillColor(opts.color ?? 'black');
    const spacing = opts.spacing ?? 0;
    const w = doc.widthOfString(text, { characterSpacing: spacing });
    const x =
      opts.align === 'left' ? left + (opts.indent ?? 0) * CHAR_PITCH : opts.align === 'right' ? left + width - w : left + (width - w) / 2;
    // Text sits in the middle of its slot.
    doc.text(text, x, y + (LINE_PITCH - size * 1.1) / 2, { lineBreak: false, characterSpacing: spacing });
  };
  switch (l.kind) {
    case 'mark': {
      // 发文机关标志: red, bold, as wide as fits (at most 22 mm a character by the standard).
      const size = Math.min(22 * MM, (BLOCK.width / [...l.text].length) * 0.98, 40);
      baselineText(l.text, size, 'bold', { align: 'center', color: RED });
      break;
    }
    case 'number':
      baselineText(l.text, BODY_PT, 'regular', { align: 'center' });
      break;
    case 'rule':
      // The red rule 4 mm under the 字号, the width of the text block.
      doc
        .save()
        .lineWidth(1)
        .strokeColor(RED)
        .moveTo(left, y + 4 * MM)
        .lineTo(left + width, y + 4 * MM)
        .stroke()
        .restore();
      break;
    case 'title':
      baselineText(l.text, TITLE_PT, 'bold', { align: 'center' });
      break;
    case 'text':
      baselineText(l.text, BODY_PT, 'regular', {
        align: l.align,
        indent: l.indent,
        spacing: l.align === 'left' ? CHAR_PITCH - BODY_PT : 0,
      });
      break;
    case 'row': {
      let x = left;
      doc.save().lineWidth(0.5).strokeColor('black');
      doc.rect(left, y, width, LINE_PITCH).stroke();
      for (const [i, w] of l.widths.entries()) {
        const cw = w * width;
        if (i > 0)
          doc
            .moveTo(x, y)
            .lineTo(x, y + LINE_PITCH)
            .stroke();
        const text = l.cells[i] ?? '';
        doc
          .font(l.header ? 'bold' : 'regular')
          .fontSize(TABLE_PT)
          .fillColor('black');
        const tw = doc.widthOfString(text);
        doc.text(text, x + Math.max(2, (cw - tw) / 2), y + (LINE_PITCH - TABLE_PT * 1.1) / 2, { lineBreak: false });
        x += cw;
      }
      doc.restore();
      break;
    }
    case 'imprint': {
      doc
        .save()
        .lineWidth(l.ruleBelow ? 1 : 0.5)
        .strokeColor('black');
      if (l.ruleAbove)
        doc
          .moveTo(left, y)
          .lineTo(left + width, y)
          .stroke();
      if (l.ruleBelow)
        doc
          .moveTo(left, y + LINE_PITCH)
          .lineTo(left + width, y + LINE_PITCH)
          .stroke();
      doc.restore();
      doc.font('regular').fontSize(14).fillColor('black');
      doc.text(l.left, left + 14, y + (LINE_PITCH - 14 * 1.1) / 2, { lineBreak: false });
      if (l.right) doc.text(l.right, left + width - 14 - doc.widthOfString(l.right), y + (LINE_PITCH - 14 * 1.1) / 2, { lineBreak: false });
      break;
    }
    default:
      break;
  }
}

/** Renders the bulletin; `at` dates the PDF (the issue time), so the same bulletin renders the same bytes. */
export async function renderBulletinPdf(c: BulletinContent, at: Date): Promise<Buffer> {
  const { regular, bold } = loadFonts();
  const doc = new PDFDocument({
    size: [PAGE.width, PAGE.height],
    // Every line is placed at its slot of the text block by hand; zero margins keep pdfkit from
    // starting a page of its own for the page number under the block.
    margins: { top: 0, left: 0, bottom: 0, right: 0 },
    autoFirstPage: false,
    info: { Title: c.title, Author: c.issuer, Subject: c.docNumber, CreationDate: at, ModDate: at },
  });
  doc.registerFont('regular', regular);
  doc.registerFont('bold', bold);
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  const pages = paginate(layoutBulletin(c), imprintLines(c));
  pages.forEach((lines, i) => {
    doc.addPage();
    for (const [slot, l] of lines.entries()) drawLine(doc, l, BLOCK.top + slot * LINE_PITCH);
    const n = pageNumber(i + 1);
    doc.font('regular').fontSize(PAGE_NUMBER_PT).fillColor('black');
    const w = doc.widthOfString(n.text);
    const x = n.align === 'right' ? BLOCK.left + BLOCK.width - PAGE_NUMBER_PT - w : BLOCK.left + PAGE_NUMBER_PT;
    doc.text(n.text, x, BLOCK.top + BLOCK.height + 7 * MM, { lineBreak: false });
  });
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
