/**
 * Inflates a zip upload (.xlsx, .docx) entry by entry while counting the bytes that actually come
 * out, and stops past a total, a per-entry and an entry-count limit. The sizes a zip declares are
 * only a claim: a 600 KB "bomb" may declare 1,000 bytes and inflate to gigabytes, so the check
 * must be made on the stream, before a library (exceljs, mammoth) inflates the same bytes into
 * memory. Nothing is kept: each chunk goes to the caller's visitor (to count rows, say) and is
 * dropped, so checking a 50 MB workbook holds one chunk (~64 KB) at a time.
 */
import yauzl from 'yauzl';

export interface UnzipLimits {
  /** Bytes inflated over all entries. */
  totalBytes: number;
  /** Bytes inflated from any one entry. */
  entryBytes: number;
  /** Entries in the archive (counted from the central directory). */
  entries: number;
}

/** Why a zip was refused: not a zip at all, or past one of the limits. */
export type UnzipRefusal = { kind: 'not_zip'; reason: string } | { kind: 'entries' | 'entry_bytes' | 'total_bytes'; entry?: string };

/** Thrown by `inflateBounded`; a visitor may throw its own error, which is passed through unchanged. */
export class UnzipRefused extends Error {
  override readonly name = 'UnzipRefused';
  constructor(readonly refusal: UnzipRefusal) {
    super(refusal.kind === 'not_zip' ? `not a readable zip: ${refusal.reason}` : `zip over the ${refusal.kind} limit`);
  }
}

/** Receives every inflated chunk of the entries it chose (return a function for an entry name). */
export type UnzipVisitor = (entryName: string) => ((chunk: Buffer) => void) | undefined;

/** What was inflated: each entry's real size. */
export interface InflatedFacts {
  entries: { name: string; bytes: number }[];
  totalBytes: number;
}

function open(bytes: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    // validateEntrySizes off: we count ourselves, so a lying size is refused as too big, not as corrupt.
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: false, strictFileNames: false }, (err, zip) => {
      if (err || !zip) reject(new UnzipRefused({ kind: 'not_zip', reason: err?.message ?? 'unreadable' }));
      else resolve(zip);
    });
  });
}

/**
 * Inflates every entry of `bytes`, counting real bytes; rejects with `UnzipRefused` past a limit
 * (or when the bytes are not a readable zip), or with whatever a visitor throws. Inflation is done
 * by zlib off the main thread in small chunks, so other requests keep being answered meanwhile.
 */
export async function inflateBounded(bytes: Buffer, limits: UnzipLimits, visit?: UnzipVisitor): Promise<InflatedFacts> {
  const zip = await open(bytes);
  if (zip.entryCount > limits.entries) {
    zip.close();
    throw new UnzipRefused({ kind: 'entries' });
  }
  const facts: InflatedFacts = { entries: [], totalBytes: 0 };
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (err: unknown) => {
        if (failed) return;
        failed = true;
        reject(err);
      };
      zip.on('error', (err) =>
        fail(err instanceof UnzipRefused ? err : new UnzipRefused({ kind: 'not_zip', reason: String(err?.message ?? err) })),
      );
      zip.on('end', () => {
        if (!failed) resolve();
      });
      zip.on('entry', (entry: yauzl.Entry) => {
        if (failed) return;
        const name = entry.fileName;
        // A declared size past the limits is refused without inflating (the honest big file).
        if (entry.uncompressedSize > limits.entryBytes) return fail(new UnzipRefused({ kind: 'entry_bytes', entry: name }));
        if (name.endsWith('/')) return zip.readEntry();
        const onChunk = visit?.(name);
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return fail(new UnzipRefused({ kind: 'not_zip', reason: err?.message ?? 'unreadable entry' }));
          let entryBytes = 0;
          stream.on('data', (chunk: Buffer) => {
            if (failed) return;
            entryBytes += chunk.length;
            facts.totalBytes += chunk.length;
            let refusal: unknown;
            if (entryBytes > limits.entryBytes) refusal = new UnzipRefused({ kind: 'entry_bytes', entry: name });
            else if (facts.totalBytes > limits.totalBytes) refusal = new UnzipRefused({ kind: 'total_bytes', entry: name });
            else {
              try {
                onChunk?.(chunk);
              } catch (visitorError) {
                refusal = visitorError;
              }
            }
            if (refusal !== undefined) {
              stream.destroy();
              fail(refusal);
            }
          });
          stream.on('error', (e) => fail(new UnzipRefused({ kind: 'not_zip', reason: e.message })));
          stream.on('end', () => {
            if (failed) return;
            facts.entries.push({ name, bytes: entryBytes });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return facts;
}

/**
 * Counts occurrences of an XML start tag (`<row`, `<c`) in a stream of chunks, across chunk
 * boundaries: the tag must be followed by whitespace, `>` or `/`, so `<rowBreaks` or `<col` do
 * not count. Throws `onLimit()` as soon as the count passes `max`.
 */
export function tagCounter(
  tag: string,
  max: number,
  onLimit: (count: number) => Error,
): { feed(chunk: Buffer): void; readonly count: number } {
  const needle = Buffer.from(`<${tag}`);
  let tail = Buffer.alloc(0);
  let count = 0;
  return {
    get count() {
      return count;
    },
    feed(chunk: Buffer) {
      // Keep the last needle.length bytes so a tag split between chunks is seen once.
      const buf = tail.length ? Buffer.concat([tail, chunk]) : chunk;
      const scanEnd = buf.length - needle.length; // the byte after the needle must be in this buffer
      let i = buf.indexOf(needle);
      while (i >= 0 && i < scanEnd) {
        const next = buf[i + needle.length];
        if (next === 0x20 || next === 0x3e || next === 0x2f || next === 0x0a || next === 0x0d || next === 0x09) {
          count += 1;
          if (count > max) throw onLimit(count);
        }
        i = buf.indexOf(needle, i + 1);
      }
      tail = Buffer.from(buf.subarray(Math.max(0, scanEnd)));
    },
  };
}
