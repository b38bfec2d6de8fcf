/**
 * Turns the bytes of an uploaded plan document into the text the parser reads.
 *
 * Pure: takes bytes, touches no filesystem, so the server (multipart upload), the CLI and tests
 * share it. Offsets in a PlanExtract are indices into the text returned here, so the decoder must
 * not normalise anything beyond removing a BOM: line endings stay as they are.
 */
export type PlanDocumentEncoding = 'utf-8' | 'gb18030';
export type PlanDocumentFormat = 'txt' | 'docx';

export interface DecodedPlanDocument {
  text: string;
  encoding: PlanDocumentEncoding;
  format: PlanDocumentFormat;
}

/** Why a document cannot be read, for callers that say it in the user's language. */
export type PlanDocumentErrorKind =
  | 'empty'
  | 'legacy_word'
  | 'pdf'
  | 'not_docx'
  | 'utf16'
  | 'binary'
  | 'encoding'
  | 'no_text'
  | 'corrupt_docx';

/** The document cannot be turned into plan text; the message names the problem in plain English. */
export class PlanDocumentError extends Error {
  override readonly name = 'PlanDocumentError';
  constructor(
    message: string,
    /** Which problem it is (the message is English, for logs and the CLI). */
    readonly kind: PlanDocumentErrorKind,
  ) {
    super(message);
  }
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d];
const UTF8_BOM = [0xef, 0xbb, 0xbf];

// A real plan may carry a stray form feed or SUB from an old word processor; a file where more than
// this share of characters are control characters is not text, whatever decoder accepted it.
const MAX_CONTROL_CHAR_RATIO = 0.005;

/**
 * Decodes a plan document: UTF-8 (BOM stripped), GB18030/GBK, or .docx (paragraphs joined by \n).
 * Detection is by content, not by name; the filename only sharpens error messages.
 * @throws PlanDocumentError when the bytes are empty, binary, a corrupt .docx or an unsupported format.
 */
export async function decodePlanDocument(bytes: Uint8Array, filename?: string): Promise<DecodedPlanDocument> {
  const label = filename ? `'${filename}'` : 'the document';
  if (bytes.length === 0) throw new PlanDocumentError(`${label} is empty`, 'empty');

  if (startsWith(bytes, ZIP_MAGIC)) {
    return { text: await extractDocxText(bytes, label), encoding: 'utf-8', format: 'docx' };
  }
  if (startsWith(bytes, OLE_MAGIC)) {
    throw new PlanDocumentError(
      `${label} is a legacy Word 97-2003 (.doc/.wps) file, which is not supported; save it as .docx or .txt`,
      'legacy_word',
    );
  }
  if (startsWith(bytes, PDF_MAGIC)) {
    throw new PlanDocumentError(`${label} is a PDF, which is not supported; provide the .docx or .txt`, 'pdf');
  }
  if (/\.docx$/i.test(filename ?? '')) {
    throw new PlanDocumentError(`${label} is named .docx but is not a .docx (zip) file`, 'not_docx');
  }
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    throw new PlanDocumentError(`${label} is UTF-16 text, which is not supported; save it as UTF-8`, 'utf16');
  }
  // NUL never occurs in UTF-8 or GB18030 text; it marks binary data or BOM-less UTF-16.
  if (bytes.includes(0)) throw new PlanDocumentError(`${label} is not a text file (it contains binary data)`, 'binary');

  const hasBom = startsWith(bytes, UTF8_BOM);
  const body = hasBom ? bytes.subarray(UTF8_BOM.length) : bytes;
  const decoded = decodeText(body, hasBom);
  if (!decoded) {
    throw new PlanDocumentError(`${label} is neither valid UTF-8 nor GB18030 text (binary or unknown encoding)`, 'encoding');
  }
  assertLooksLikeText(decoded.text, label);
  return { text: decoded.text, encoding: decoded.encoding, format: 'txt' };
}

function decodeText(body: Uint8Array, hasBom: boolean): { text: string; encoding: PlanDocumentEncoding } | null {
  // ignoreBOM: the caller already removed it, and a second one would be content.
  const utf8 = tryDecode('utf-8', body);
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8' };
  // A BOM is a promise of UTF-8; falling back to GB18030 would turn a damaged file into mojibake.
  if (hasBom) return null;
  const gb = tryDecode('gb18030', body);
  return gb === null ? null : { text: gb, encoding: 'gb18030' };
}

function tryDecode(encoding: string, body: Uint8Array): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    return null;
  }
}

function assertLooksLikeText(text: string, label: string): void {
  if (text.trim() === '') throw new PlanDocumentError(`${label} contains no text`, 'no_text');
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0x7f) controls++;
  }
  if (controls / text.length > MAX_CONTROL_CHAR_RATIO) {
    throw new PlanDocumentError(`${label} is not a text file (too many control characters)`, 'binary');
  }
}

async function extractDocxText(bytes: Uint8Array, label: string): Promise<string> {
  let raw: string;
  try {
    // Loaded on demand: most plans arrive as .txt, and mammoth's XML stack would slow every CLI start.
    const { default: mammoth } = await import('mammoth');
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    raw = (await mammoth.extractRawText({ buffer })).value;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PlanDocumentError(`${label} is not a readable .docx (corrupt or not a Word document): ${reason}`, 'corrupt_docx');
  }
  // mammoth ends every paragraph with a blank line; the parser expects one paragraph per line, as a
  // .txt of the same plan has it. Empty paragraphs are layout spacing, not content.
  const text = raw
    .split('\n\n')
    .filter((paragraph) => paragraph.trim() !== '')
    .join('\n');
  if (text.trim() === '') throw new PlanDocumentError(`${label} is a .docx with no text`, 'no_text');
  return text;
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}
