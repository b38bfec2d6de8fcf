import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../core/app-error.ts';

/** The .xlsx media type every spreadsheet download declares. */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Files in and out over HTTP, shared by every route that takes an upload or sends a document
 * (evidence, notice evidence, report templates, ledger and plan exports).
 */

/** RFC 6266 / RFC 5987: an ASCII fallback and the real (Chinese) name, percent-encoded UTF-8. */
export function contentDisposition(filename: string, kind: 'attachment' | 'inline' = 'attachment'): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** The multipart field `file` (other parts are drained); 415 when the request is not multipart, 413 beyond `maxBytes`. */
export async function readFilePart(req: FastifyRequest, maxBytes: number): Promise<{ bytes: Buffer; filename: string }> {
  if (!req.isMultipart()) throw new AppError('unsupported_media_type', 'send the file as multipart/form-data in the field "file"');
  let upload: { bytes: Buffer; filename: string } | undefined;
  for await (const part of req.parts({ limits: { fileSize: maxBytes, files: 1 } })) {
    if (part.type !== 'file') continue;
    // toBuffer throws the plugin's 413 when the file passes the limit.
    const bytes = await part.toBuffer();
    if (part.fieldname === 'file' && !upload) upload = { bytes, filename: part.filename || 'upload' };
  }
  if (!upload) throw new AppError('validation', 'send the file in the multipart field "file"', { errors: [{ path: 'file', message: 'required' }] });
  return upload;
}

/**
 * Sends a file to save under its (Chinese) name: never sniffed into something else by the browser
 * (an uploaded "photo" must not run as HTML), never kept in a shared cache (it is one official's
 * data, often a county's unpublished figures).
 */
export function sendDownload(reply: FastifyReply, file: { bytes: Buffer; filename: string; contentType: string }): FastifyReply {
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', contentDisposition(file.filename))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(file.bytes);
}
