import { describe, expect, it } from 'vitest';
import { codeForStatus, ERROR_CODES, errorMessages, errorStatus, isSpecificErrorCode } from './error-codes.ts';

describe('ERROR_CODES', () => {
  it('gives every code an error status and a sentence in both languages', () => {
    for (const [code, entry] of Object.entries(ERROR_CODES)) {
      expect(entry.status >= 400 && entry.status < 600, code).toBe(true);
      expect(entry.zh.trim(), code).not.toBe('');
      expect(entry.en.trim(), code).not.toBe('');
      // The same {name} placeholders in both languages, so one set of problem members fills either.
      const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(entry.en), code).toEqual(names(entry.zh));
      expect(errorStatus(code as keyof typeof ERROR_CODES)).toBe(entry.status);
    }
  });

  it('maps a bare status to its generic code, never to a specific one', () => {
    expect(codeForStatus(404)).toBe('not_found');
    expect(codeForStatus(409)).toBe('conflict');
    expect(codeForStatus(413)).toBe('payload_too_large');
    expect(codeForStatus(415)).toBe('unsupported_media_type');
    expect(codeForStatus(418)).toBeUndefined();
    for (const status of [400, 401, 403, 404, 409, 413, 415, 422, 423, 429, 500, 503]) {
      expect(isSpecificErrorCode(codeForStatus(status) ?? 'none'), String(status)).toBe(false);
    }
  });

  it('builds one catalogue entry per code', () => {
    const zh = errorMessages('zh');
    expect(Object.keys(zh).sort()).toEqual(
      Object.keys(ERROR_CODES)
        .map((c) => `error.${c}`)
        .sort(),
    );
    expect(zh['error.evidence_limit_reached']).toBe('每份报告最多 {max} 个证明材料。');
    expect(errorMessages('en')['error.not_xlsx']).toBe(ERROR_CODES.not_xlsx.en);
  });
});
