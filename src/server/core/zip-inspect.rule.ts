/**
 * Reads a zip's central directory without inflating anything, so an upload's real (uncompressed)
 * size and entry names are known before a library loads it: a 1 MB zip bomb is refused while it
 * is still 1 MB. Pure: bytes in, facts out.
 */

export interface ZipFacts {
  entries: { name: string; compressedBytes: number; uncompressedBytes: number }[];
  uncompressedBytes: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const ZIP64_MARK = 0xffffffff;

/** True when the bytes start like a zip archive (local file header `PK\3\4`). */
export function isZip(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50;
}

/**
 * The entries listed in the zip's central directory, or null when the bytes are not a readable
 * zip (no end record, truncated directory, zip64, which no office file of a sane size needs).
 */
export function inspectZip(bytes: Buffer): ZipFacts | null {
  // The end record is at least 22 bytes and followed by a comment of at most 65,535.
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= lowest; i--) {
    if (bytes.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = bytes.readUInt16LE(eocd + 10);
  const dirSize = bytes.readUInt32LE(eocd + 12);
  const dirOffset = bytes.readUInt32LE(eocd + 16);
  if (dirOffset === ZIP64_MARK || count === 0xffff || dirOffset + dirSize > bytes.length) return null;
  const entries: ZipFacts['entries'] = [];
  let total = 0;
  let p = dirOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || bytes.readUInt32LE(p) !== CENTRAL_SIGNATURE) return null;
    const compressed = bytes.readUInt32LE(p + 20);
    const uncompressed = bytes.readUInt32LE(p + 24);
    const nameLength = bytes.readUInt16LE(p + 28);
    const extraLength = bytes.readUInt16LE(p + 30);
    const commentLength = bytes.readUInt16LE(p + 32);
    if (compressed === ZIP64_MARK || uncompressed === ZIP64_MARK) return null;
    if (p + 46 + nameLength > bytes.length) return null;
    const name = bytes.toString('utf8', p + 46, p + 46 + nameLength);
    entries.push({ name, compressedBytes: compressed, uncompressedBytes: uncompressed });
    total += uncompressed;
    p += 46 + nameLength + extraLength + commentLength;
  }
  return { entries, uncompressedBytes: total };
}
