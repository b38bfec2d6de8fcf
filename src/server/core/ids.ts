import { randomBytes } from 'node:crypto';

let lastMs = 0;
let counter = 0;

/**
 * A UUID v7 (RFC 9562): 48-bit millisecond time, then a 12-bit counter that keeps ids made in the
 * same millisecond increasing, then random bits. Ledger rows that have an order but no ordinal
 * column (assignments: the first-listed lead unit comes first) sort by id in creation order.
 */
export function newSortableId(): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    counter += 1;
    // 4,096 ids in one millisecond: borrow the next millisecond rather than wrap.
    if (counter > 0xfff) {
      lastMs += 1;
      counter = 0;
    }
    ms = lastMs;
  } else {
    lastMs = ms;
    counter = 0;
  }
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
