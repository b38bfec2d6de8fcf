/**
 * Hostile uploads built in memory for tests and benchmarks (nothing big is kept in the repo): a zip
 * written by hand, so its size fields can lie, with entries deflated chunk by chunk from repeated
 * text, so a 200 MB entry costs a few hundred KB and well under a second to build.
 */
import zlib, { crc32 } from 'node:zlib';

export interface HandZipEntry {
  name: string;
  /** The entry's content as chunks (repeat one buffer to describe a huge entry cheaply). */
  chunks: Iterable<Buffer>;
  /** Write this number as the entry's compressed/uncompressed size instead of the truth. */
  lieSize?: number;
}

/**
 * Deflates an entry's chunks one at a time, with its real CRC-32 and size. Each chunk but the last
 * ends with a sync flush (non-final, byte-aligned blocks), so the pieces concatenate into one raw
 * deflate stream; a chunk repeated by identity is compressed once.
 */
function deflateEntry(chunks: Iterable<Buffer>): { data: Buffer; crc: number; size: number } {
  const out: Buffer[] = [];
  let crc = 0;
  let size = 0;
  let last: { chunk: Buffer; data: Buffer } | undefined;
  for (const chunk of chunks) {
    crc = crc32(chunk, crc);
    size += chunk.length;
    if (last?.chunk !== chunk) last = { chunk, data: zlib.deflateRawSync(chunk, { finishFlush: zlib.constants.Z_SYNC_FLUSH }) };
    out.push(last.data);
  }
  out.push(zlib.deflateRawSync(Buffer.alloc(0)));
  return { data: Buffer.concat(out), crc, size };
}

/** A zip archive (deflate, no data descriptors) whose size fields may lie about their entries. */
export function buildZip(entries: HandZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const { data, crc, size } = deflateEntry(entry.chunks);
    const name = Buffer.from(entry.name, 'utf8');
    const compressed = entry.lieSize ?? data.length;
    const uncompressed = entry.lieSize ?? size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc >>> 0, 14);
    // The local header tells the truth about the compressed length so a reader can find the next entry.
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(uncompressed, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    // A lie in the compressed size would make readers stop early; the bomb lies about the uncompressed size.
    central.writeUInt32LE(entry.lieSize === undefined ? compressed : data.length, 20);
    central.writeUInt32LE(uncompressed, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += 30 + name.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/** `text` repeated until `bytes` bytes, in 1 MB chunks. */
export function* repeated(text: string, bytes: number): Generator<Buffer> {
  const unit = Buffer.from(text);
  const chunk = Buffer.alloc(Math.max(unit.length, Math.floor((1024 * 1024) / unit.length) * unit.length), unit);
  let left = bytes;
  while (left > 0) {
    const n = Math.min(left, chunk.length);
    yield n === chunk.length ? chunk : chunk.subarray(0, n);
    left -= n;
  }
}

const MiB = 1024 * 1024;
const one = (text: string): Buffer[] => [Buffer.from(text)];

const CONTENT_TYPES_XLSX =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>';
const RELS_XLSX =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>';
const WORKBOOK =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="填报" sheetId="1" r:id="rId1"/></sheets></workbook>';
const WORKBOOK_RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>';
const SHEET_HEAD =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
const SHEET_TAIL = '</sheetData></worksheet>';

function* sheetRows(rows: number): Generator<Buffer> {
  yield Buffer.from(SHEET_HEAD);
  const batch: string[] = [];
  for (let r = 1; r <= rows; r++) {
    batch.push(`<row r="${r}"><c r="A${r}"><v>1</v></c></row>`);
    if (batch.length === 20_000) {
      yield Buffer.from(batch.join(''));
      batch.length = 0;
    }
  }
  yield Buffer.from(batch.join(''));
  yield Buffer.from(SHEET_TAIL);
}

function xlsx(sheet: HandZipEntry): Buffer {
  return buildZip([
    { name: '[Content_Types].xml', chunks: one(CONTENT_TYPES_XLSX) },
    { name: '_rels/.rels', chunks: one(RELS_XLSX) },
    { name: 'xl/workbook.xml', chunks: one(WORKBOOK) },
    { name: 'xl/_rels/workbook.xml.rels', chunks: one(WORKBOOK_RELS) },
    sheet,
  ]);
}

/** An .xlsx with `rows` one-cell rows (1,000,000 rows: ~5 MB zipped, ~47 MB unpacked); its sheet's size fields may lie. */
export function millionRowXlsx(rows = 1_000_000, lieSize?: number): Buffer {
  return xlsx({ name: 'xl/worksheets/sheet1.xml', chunks: sheetRows(rows), lieSize });
}

/** An .xlsx whose sheet inflates to `bytes` (of XML whitespace, so no row count trips first) while every size field says 1,000. */
export function lyingXlsxBomb(bytes = 200 * MiB): Buffer {
  const sheet = [Buffer.from(SHEET_HEAD), ...repeated(' ', bytes), Buffer.from(SHEET_TAIL)];
  return xlsx({ name: 'xl/worksheets/sheet1.xml', chunks: sheet, lieSize: 1000 });
}

const CONTENT_TYPES_DOCX =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const RELS_DOCX =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';

/** A .docx whose word/document.xml inflates to `bytes` of paragraphs (truthful size fields, as in the probe). */
export function docxBomb(bytes = 200 * MiB, lieSize?: number): Buffer {
  const head =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>';
  const document = [
    Buffer.from(head),
    ...repeated('<w:p><w:r><w:t>一二三四五六七八九十</w:t></w:r></w:p>', bytes),
    Buffer.from('</w:body></w:document>'),
  ];
  return buildZip([
    { name: '[Content_Types].xml', chunks: one(CONTENT_TYPES_DOCX) },
    { name: '_rels/.rels', chunks: one(RELS_DOCX) },
    { name: 'word/document.xml', chunks: document, lieSize },
  ]);
}
