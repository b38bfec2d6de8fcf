/**
 * The 通报 documents in the GB/T 9704-2012 layout, measured from the rendered files: the PDF's page
 * size, margins and lines per page (pdftotext's word boxes), its pages as PNG (pdftoppm), and the
 * .docx rendered by LibreOffice to PNG when it is installed (skipped with a notice otherwise, as
 * on CI). The PNGs are kept in docs/images/ to be looked at.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BulletinContent } from '../src/shared/schemas/assessment.schema.ts';
import { renderBulletinDocx } from '../src/server/modules/assessment/bulletin-docx.ts';
import { BLOCK, LINE_PITCH, MM, breakLines } from '../src/server/modules/assessment/bulletin-layout.ts';
import { bulletinMissingGlyphs, missingGlyphs, renderBulletinPdf } from '../src/server/modules/assessment/bulletin-pdf.ts';

const IMAGES = path.join(import.meta.dirname, '..', 'docs', 'images');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'luoshi-bulletin-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const para =
  '按照考核方案，对各县区和市直有关部门上半年工作进行了考核。各单位高度重视，认真组织，扎实推进各项重点任务，总体进展顺利，但仍有部分单位存在报送不及时、督办事项办理滞后等问题。';
const content: BulletinContent = {
  issuer: '某市重点工作领导小组办公室文件',
  docNumber: '某办〔2018〕3号',
  title: '关于2018年上半年重点工作考核结果的通报',
  addressee: '各县区、市直各有关单位：',
  paragraphs: [
    '一、总体情况',
    para,
    para,
    '二、考核排名',
    '[TABLE]',
    '三、存在问题',
    para,
    para,
    para,
    para,
    para,
    para,
    '四、结果运用',
    para,
  ],
  table: {
    caption: '2018年上半年考核排名',
    header: ['排名', '单位', '得分', '等次'],
    rows: [
      ['1', '甲县', '96.5', '优秀'],
      ['2', '乙县', '91', '良好'],
      ['3', '丙县', '84', '合格'],
    ],
  },
  attachments: [
    { title: '各单位得分明细', header: ['单位', '报送', '督办', '目标', '总分'], rows: [['甲县', '38', '28.5', '30', '96.5']] },
  ],
  signature: '某市重点工作领导小组办公室',
  date: '2018年7月10日',
  copyTo: '抄送：领导小组各成员单位。',
  printedBy: '某市重点工作领导小组办公室\t2018年7月10日印发',
};

interface Word {
  page: number;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
  text: string;
}

/** Words with boxes (points, origin top left) from pdftotext -bbox. */
function words(pdfPath: string): { pages: { width: number; height: number }[]; words: Word[] } {
  const html = execFileSync('pdftotext', ['-bbox', pdfPath, '-'], { encoding: 'utf8' });
  const pages: { width: number; height: number }[] = [];
  const out: Word[] = [];
  for (const chunk of html.split('<page ').slice(1)) {
    const [, w, h] = chunk.match(/width="([\d.]+)" height="([\d.]+)"/)!;
    pages.push({ width: Number(w), height: Number(h) });
    for (const m of chunk.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
      out.push({ page: pages.length, xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: m[5]! });
    }
  }
  return { pages, words: out };
}

/** Rows of text on a page: words grouped by the 22-line slot they sit in. */
function slotsOf(ws: Word[]): Map<number, Word[]> {
  const rows = new Map<number, Word[]>();
  for (const w of ws) {
    const slot = Math.floor(((w.yMin + w.yMax) / 2 - BLOCK.top) / LINE_PITCH);
    rows.set(slot, [...(rows.get(slot) ?? []), w]);
  }
  return rows;
}

describe('the 通报 .pdf', () => {
  it('is A4 with the GB/T 9704 text block: 22 lines of 28 characters, margins top 37 mm and left 28 mm', async () => {
    const pdf = await renderBulletinPdf(content, new Date('2018-07-10T02:00:00Z'));
    const file = path.join(tmp, 'bulletin.pdf');
    writeFileSync(file, pdf);
    const { pages, words: ws } = words(file);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const p of pages) {
      expect(p.width).toBeCloseTo(595.28, 0);
      expect(p.height).toBeCloseTo(841.89, 0);
    }
    // Page 2 is all body text: 22 rows in the block, then the page number 7 mm below it.
    const page2 = ws.filter((w) => w.page === 2);
    const inBlock = page2.filter((w) => w.yMax <= BLOCK.top + BLOCK.height + 1);
    const rows = slotsOf(inBlock);
    expect([...rows.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 22 }, (_, i) => i));
    const first = Math.min(...inBlock.map((w) => w.yMin));
    expect(first).toBeGreaterThan(BLOCK.top - 1);
    expect(first).toBeLessThan(BLOCK.top + LINE_PITCH / 2);
    const left = Math.min(...inBlock.map((w) => w.xMin));
    expect(left / MM).toBeCloseTo(28, 0);
    const right = Math.max(...inBlock.map((w) => w.xMax));
    expect(right / MM).toBeLessThanOrEqual(28 + 156 + 0.5);
    // A full line of body text is 28 characters and spans the block's width.
    const full = [...rows.values()].filter((r) => [...r.map((w) => w.text).join('')].length === 28);
    expect(full.length).toBeGreaterThanOrEqual(8);
    for (const r of full) expect((Math.max(...r.map((w) => w.xMax)) - Math.min(...r.map((w) => w.xMin))) / MM).toBeCloseTo(156, 0);
    // Bottom margin 35 mm, right 26 mm: nothing of the text runs below the block.
    expect(Math.max(...inBlock.map((w) => w.yMax)) / MM).toBeLessThanOrEqual(37 + 225 + 0.5);
    // Page numbers: "— N —", odd pages right, even pages left, below the block.
    const number = (n: number) => ws.filter((w) => w.page === n && w.yMin > BLOCK.top + BLOCK.height);
    const odd = number(1);
    const even = number(2);
    expect(odd.map((w) => w.text).join(' ')).toBe('— 1 —');
    expect(even.map((w) => w.text).join(' ')).toBe('— 2 —');
    expect(Math.max(...odd.map((w) => w.xMax))).toBeGreaterThan(BLOCK.left + BLOCK.width - 3 * 16);
    expect(Math.min(...even.map((w) => w.xMin))).toBeLessThan(BLOCK.left + 3 * 16);
    // The 标志 and the 字号 are on page 1, in that order, above the title.
    const page1 = ws
      .filter((w) => w.page === 1)
      .map((w) => w.text)
      .join('');
    expect(page1.indexOf('某市重点工作领导小组办公室文件')).toBeLessThan(page1.indexOf('某办〔2018〕3号'));

    execFileSync('pdftoppm', ['-r', '50', '-png', file, path.join(tmp, 'pdf')]);
    const pngs = readdirSync(tmp)
      .filter((f) => f.startsWith('pdf') && f.endsWith('.png'))
      .sort();
    expect(pngs.length).toBe(pages.length);
    for (const [i, png] of pngs.slice(0, 3).entries())
      copyFileSync(path.join(tmp, png), path.join(IMAGES, `bulletin-pdf-page-${i + 1}.png`));
  });

  it('is covered by its font, and a character the font lacks is reported', () => {
    expect(bulletinMissingGlyphs(content)).toEqual([]);
    // U+10FFFD is a private-use code point no font maps.
    expect(missingGlyphs('通报\u{10FFFD}')).toEqual(['\u{10FFFD}']);
  });

  it('breaks lines at 28 characters and keeps closing punctuation off a line start', () => {
    const lines = breakLines(`${'字'.repeat(28)}，后文`, 28);
    expect(lines).toEqual([`${'字'.repeat(28)}，`, '后文']);
    expect(breakLines('甲'.repeat(30), 28, 2).map((l) => [...l].length)).toEqual([26, 4]);
  });
});

describe('the 通报 .docx', () => {
  it('sets the page, margins, grid and the official East-Asian fonts, and renders in LibreOffice', async (ctx) => {
    const docx = await renderBulletinDocx(content);
    const file = path.join(tmp, 'bulletin.docx');
    writeFileSync(file, docx);
    const xml = execFileSync('unzip', ['-p', file, 'word/document.xml'], { encoding: 'utf8' });
    expect(xml).toContain('w:w="11906"');
    expect(xml).toMatch(/w:top="2098"/);
    expect(xml).toMatch(/w:left="1587"/);
    expect(xml).toContain('w:eastAsia="仿宋_GB2312"');
    expect(xml).toContain('w:eastAsia="方正小标宋简体"');
    // 225 mm / 22 lines = 579.8 twips.
    expect(xml).toMatch(/<w:docGrid [^>]*w:linePitch="580"/);
    expect(xml).toContain('E60012');
    const libreoffice = ['/usr/bin/libreoffice', '/usr/bin/soffice'].find((p) => existsSync(p));
    if (!libreoffice) {
      console.warn('libreoffice is not installed: the .docx render to PNG is skipped');
      ctx.skip();
      return;
    }
    const profile = path.join(tmp, 'lo-profile');
    const loDir = path.join(tmp, 'lo');
    execFileSync(libreoffice, [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', loDir, file], {
      timeout: 120_000,
      stdio: 'ignore',
    });
    const out = path.join(loDir, 'bulletin.pdf');
    const { pages } = words(out);
    expect(pages[0]!.width).toBeCloseTo(595.28, 0);
    execFileSync('pdftoppm', ['-r', '50', '-png', '-f', '1', '-l', '2', out, path.join(tmp, 'docx')]);
    const pngs = readdirSync(tmp)
      .filter((f) => f.startsWith('docx') && f.endsWith('.png'))
      .sort();
    expect(pngs.length).toBeGreaterThan(0);
    for (const [i, png] of pngs.entries()) copyFileSync(path.join(tmp, png), path.join(IMAGES, `bulletin-docx-page-${i + 1}.png`));
  }, 180_000);
});
