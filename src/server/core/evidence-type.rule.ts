/**
 * Which evidence files are accepted, decided from the bytes: an extension or a client-sent type
 * is only a claim. Photos (jpg/png/webp), PDF, and office files (docx/xlsx as zip packages with
 * the matching part, doc/xls as OLE2 compound files). Pure.
 */
import { cleanFilename, withExtension } from '../../shared/file-name.ts';
import { inspectZip, isZip } from './zip-inspect.rule.ts';

const OFFICE_TYPES: Record<string, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
};

const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot < 0 ? '' : filename.slice(dot + 1).toLowerCase();
}

/** The content type of an accepted evidence file, or null when the bytes are not one we accept. */
export function sniffEvidenceType(bytes: Buffer, filename: string): string | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 8).equals(PNG)) return 'image/png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (bytes.toString('latin1', 0, 5) === '%PDF-') return 'application/pdf';
  const ext = extensionOf(filename);
  if (bytes.subarray(0, 8).equals(OLE2)) return ext === 'doc' || ext === 'xls' ? OFFICE_TYPES[ext] : null;
  if (isZip(bytes) && (ext === 'docx' || ext === 'xlsx')) {
    // Any zip renamed .docx is not a Word file: require the package's main part.
    const part = ext === 'docx' ? 'word/document.xml' : 'xl/workbook.xml';
    const zip = inspectZip(bytes);
    return zip?.entries.some((e) => e.name === part) ? OFFICE_TYPES[ext] : null;
  }
  return null;
}

/** The extensions a detected evidence type may be named with, the usual one first. */
export const EXTENSIONS_BY_TYPE: Record<string, readonly string[]> = {
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'image/webp': ['webp'],
  'application/pdf': ['pdf'],
  [OFFICE_TYPES.docx]: ['docx'],
  [OFFICE_TYPES.xlsx]: ['xlsx'],
  [OFFICE_TYPES.doc]: ['doc'],
  [OFFICE_TYPES.xls]: ['xls'],
};

/**
 * The name an accepted evidence file is stored and shown under: cleaned (no path, control or
 * bidi characters), and with the extension of the type its bytes are, whatever it claimed.
 */
export function evidenceFilename(filename: string, contentType: string): string {
  return withExtension(cleanFilename(filename, 'evidence'), EXTENSIONS_BY_TYPE[contentType] ?? ['bin']);
}
