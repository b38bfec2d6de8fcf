import { describe, expect, it } from 'vitest';
import { buildZip, repeated } from '../../../test/helpers/hostile-files.ts';
import { inflateBounded, tagCounter, UnzipRefused } from './bounded-unzip.rule.ts';

const MiB = 1024 * 1024;
const LIMITS = { totalBytes: 4 * MiB, entryBytes: 3 * MiB, entries: 10 };

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof UnzipRefused) return err.refusal.kind;
    throw err;
  }
  return 'accepted';
}

describe('inflateBounded', () => {
  it('inflates an honest zip and reports each entry’s real size', async () => {
    const zip = buildZip([
      { name: 'a.xml', chunks: [Buffer.from('<a/>')] },
      { name: 'b.xml', chunks: repeated('b', MiB) },
    ]);
    const facts = await inflateBounded(zip, LIMITS);
    expect(facts).toEqual({
      entries: [
        { name: 'a.xml', bytes: 4 },
        { name: 'b.xml', bytes: MiB },
      ],
      totalBytes: MiB + 4,
    });
  });

  it('refuses an entry that declares 1,000 bytes and inflates past the per-entry limit, on the bytes it inflates', async () => {
    const zip = buildZip([{ name: 'sheet.xml', chunks: repeated(' ', 100 * MiB), lieSize: 1000 }]);
    expect(zip.length).toBeLessThan(MiB);
    expect(await refusal(inflateBounded(zip, LIMITS))).toBe('entry_bytes');
  });

  it('refuses entries that each pass but together inflate past the total', async () => {
    const zip = buildZip([1, 2].map((n) => ({ name: `${n}.xml`, chunks: repeated(' ', 2.5 * MiB), lieSize: 1000 })));
    expect(await refusal(inflateBounded(zip, LIMITS))).toBe('total_bytes');
  });

  it('refuses an honest entry declared past the limit without inflating it, and too many entries', async () => {
    expect(await refusal(inflateBounded(buildZip([{ name: 'big.xml', chunks: repeated(' ', 5 * MiB) }]), LIMITS))).toBe('entry_bytes');
    const many = buildZip(Array.from({ length: 11 }, (_, i) => ({ name: `${i}.xml`, chunks: [Buffer.from('x')] })));
    expect(await refusal(inflateBounded(many, LIMITS))).toBe('entries');
  });

  it('says not_zip for bytes that are not a zip, or a truncated one', async () => {
    expect(await refusal(inflateBounded(Buffer.from('not a zip at all, just text'), LIMITS))).toBe('not_zip');
    const zip = buildZip([{ name: 'a.xml', chunks: repeated('a', 1000) }]);
    expect(await refusal(inflateBounded(zip.subarray(0, zip.length - 30), LIMITS))).toBe('not_zip');
  });

  it('passes a visitor’s error through and stops inflating', async () => {
    const zip = buildZip([{ name: 'x.xml', chunks: repeated('<row r="1"/>', 2 * MiB) }]);
    const counter = tagCounter('row', 1000, (n) => new Error(`rows ${n}`));
    await expect(inflateBounded(zip, LIMITS, () => counter.feed)).rejects.toThrow('rows 1001');
  });
});

describe('tagCounter', () => {
  it('counts start tags across chunk boundaries and not longer tag names', () => {
    const xml = '<rows><row r="1"/><rowBreaks/><row>\n<row\tr="3"></row><col/><c r="A1"/></rows>';
    for (let split = 0; split <= xml.length; split++) {
      const rows = tagCounter('row', 100, () => new Error('limit'));
      const cells = tagCounter('c', 100, () => new Error('limit'));
      for (const part of [xml.slice(0, split), xml.slice(split)]) {
        rows.feed(Buffer.from(part));
        cells.feed(Buffer.from(part));
      }
      expect([rows.count, cells.count], `split at ${split}`).toEqual([3, 1]);
    }
  });
});
