import { describe, expect, it } from 'vitest';
import { contentDisposition } from './file-transfer.ts';

describe('contentDisposition', () => {
  it('sends no bidi control, even for a name stored before names were cleaned', () => {
    const header = contentDisposition('照片\u202egnp.exe');
    // U+202E percent-encoded as UTF-8 is %E2%80%AE.
    expect(header).not.toContain('%E2%80%AE');
    expect(header).toBe(`attachment; filename="__gnp.exe"; filename*=UTF-8''${encodeURIComponent('照片gnp.exe')}`);
  });

  it('keeps a built name whole, slashes included', () => {
    expect(contentDisposition('市住建局/城管局台账.xlsx')).toContain(encodeURIComponent('市住建局/城管局台账.xlsx'));
  });
});
