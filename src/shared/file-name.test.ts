import { describe, expect, it } from 'vitest';
import { cleanFilename, stripBidiControls, withExtension } from './file-name.ts';

describe('file names', () => {
  it('strips every bidi control, so a right-to-left override cannot disguise an extension', () => {
    expect(cleanFilename('照片\u202egnp.exe')).toBe('照片gnp.exe');
    const all = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c';
    expect(stripBidiControls(`a${all}b.pdf`)).toBe('ab.pdf');
    expect(cleanFilename(`${all}`, 'evidence')).toBe('evidence');
  });

  it('drops paths and control characters, keeps Chinese, and bounds the length', () => {
    expect(cleanFilename('C:\\Users\\张三\\验收\u0000报告.pdf')).toBe('验收报告.pdf');
    expect(cleanFilename('../../etc/passwd')).toBe('passwd');
    expect(cleanFilename('a'.repeat(300)).length).toBe(200);
  });

  it('makes the extension agree with the detected type: replaced, added or kept', () => {
    expect(withExtension('x.html', ['pdf'])).toBe('x.pdf');
    expect(withExtension('现场照片', ['png'])).toBe('现场照片.png');
    expect(withExtension('照片.JPEG', ['jpg', 'jpeg'])).toBe('照片.JPEG');
    expect(withExtension('.htaccess', ['pdf'])).toBe('.htaccess.pdf');
    expect(withExtension(`${'名'.repeat(199)}.html`, ['pdf']).length).toBe(200);
  });
});
