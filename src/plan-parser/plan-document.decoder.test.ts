import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePlanDocument, PlanDocumentError } from './plan-document.decoder.ts';

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(fileURLToPath(new URL(`../../test/fixtures/${name}`, import.meta.url))));

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('decodePlanDocument', () => {
  it('decodes UTF-8 without a BOM, leaving line endings untouched', async () => {
    const result = await decodePlanDocument(utf8('三、重点任务\r\n(一)完善规划体系。\n'));
    expect(result).toEqual({ text: '三、重点任务\r\n(一)完善规划体系。\n', encoding: 'utf-8', format: 'txt' });
  });

  it('strips a UTF-8 BOM so offsets start at the first character', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('鹤壁市')]);
    const result = await decodePlanDocument(bytes);
    expect(result.text).toBe('鹤壁市');
    expect(result.encoding).toBe('utf-8');
  });

  it('decodes the seed plan exactly as the parser contract reads it', async () => {
    const bytes = fixture('hebi-2018-baicheng.txt');
    const result = await decodePlanDocument(bytes, 'hebi-2018-baicheng.txt');
    expect(result.text).toBe(new TextDecoder().decode(bytes));
  });

  it('detects GB18030 (GBK) text and keeps CRLF line endings', async () => {
    const result = await decodePlanDocument(fixture('gb18030-sample.txt'), 'gb18030-sample.txt');
    expect(result.encoding).toBe('gb18030');
    expect(result.format).toBe('txt');
    expect(result.text.split('\r\n')).toEqual([
      '鹤壁市2018年度百城建设提质工程工作',
      '实施方案',
      '三、重点任务',
      '(一)完善规划体系,深化城市设计。市级和淇县应于2018年6月底前完成城市总体设计。(牵头单位:市城乡规划管理局,责任单位:各县区政府、管委)',
      '',
    ]);
  });

  it('extracts .docx paragraphs one per line, dropping empty spacing paragraphs', async () => {
    const result = await decodePlanDocument(fixture('sample-plan.docx'), 'sample-plan.docx');
    expect(result).toEqual({
      text: [
        '鹤壁市2018年度百城建设提质工程工作实施方案',
        '三、重点任务',
        '(三)完善市政基础设施,增强综合承载能力。',
        '1.改善城市道路环境,提高交通出行效率。淇县断头路卡脖路打通比例达到70%。(责任单位:各县区政府、管委)',
      ].join('\n'),
      encoding: 'utf-8',
      format: 'docx',
    });
  });

  it('accepts a view into a larger buffer', async () => {
    const backing = new Uint8Array([0x41, ...utf8('百城'), 0x42]);
    expect((await decodePlanDocument(backing.subarray(1, 7))).text).toBe('百城');
  });

  const rejects: [string, Uint8Array, string | undefined, RegExp][] = [
    ['empty input', new Uint8Array(), 'x.txt', /'x\.txt' is empty/],
    ['whitespace only', utf8(' \n\r\n'), undefined, /contains no text/],
    ['binary with NUL bytes', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]), 'a.png', /binary data/],
    ['a corrupt .docx', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]), 'bad.docx', /not a readable \.docx/],
    ['a legacy .doc', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0x20]), 'old.doc', /legacy Word/],
    ['a PDF', utf8('%PDF-1.7\n'), 'plan.pdf', /is a PDF/],
    ['a .docx that is not a zip', utf8('hello'), 'plan.docx', /not a \.docx \(zip\)/],
    ['UTF-16 with BOM', new Uint8Array([0xff, 0xfe, 0x2d, 0x4e]), undefined, /UTF-16/],
    ['invalid in both encodings', new Uint8Array([0xe4, 0xb8, 0xad, 0xff, 0x80, 0xff]), undefined, /neither valid UTF-8 nor GB18030/],
    ['a damaged file that claims UTF-8 by BOM', new Uint8Array([0xef, 0xbb, 0xbf, 0xd6, 0xd0]), undefined, /neither/],
    ['control-character noise', utf8('\x01\x02\x03\x04abc'), undefined, /control characters/],
  ];

  it.each(rejects)('rejects %s with a PlanDocumentError', async (_name, bytes, filename, message) => {
    const error = await decodePlanDocument(bytes, filename).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlanDocumentError);
    expect((error as Error).message).toMatch(message);
  });

  it('either decodes or throws a PlanDocumentError, for any bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 256 }), async (bytes) => {
        try {
          const { text } = await decodePlanDocument(bytes);
          expect(text.trim()).not.toBe('');
        } catch (error) {
          expect(error).toBeInstanceOf(PlanDocumentError);
        }
      }),
    );
  });

  it('round-trips any UTF-8 text that is not blank', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', minLength: 1 }), async (text) => {
        fc.pre(text.trim() !== '' && !/[\x00-\x08\x0b\x0e-\x1f\x7f]/.test(text) && !text.startsWith('%PDF-') && !text.startsWith('\uFEFF'));
        const result = await decodePlanDocument(new TextEncoder().encode(text));
        expect(result.text).toBe(text);
      }),
    );
  });
});
