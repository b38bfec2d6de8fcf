import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { stripBidiControls } from '../../shared/file-name.ts';
import { LIMITS } from '../../shared/limits.ts';
import { AppError } from '../core/app-error.ts';

/** The .xlsx media type every spreadsheet download declares. */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Files in and out over HTTP, shared by every route that takes an upload or sends a document
 * (evidence, notice evidence, report templates, ledger and plan exports).
 */

/** RFC 6266 / RFC 5987: an ASCII fallback and the real (Chinese) name, percent-encoded UTF-8. */
export function contentDisposition(name: string, kind: 'attachment' | 'inline' = 'attachment'): string {
  // Names stored before the bidi rule, or built from plan and organisation names, are cleaned on the
  // way out too. Not cleanFilename: a built name like "A/B台账.xlsx" must keep its slash-separated part.
  const filename = stripBidiControls(name);
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** The multipart field `file` (other parts are drained); 415 when the request is not multipart, 413 beyond `maxBytes`. */
export async function readFilePart(req: FastifyRequest, maxBytes: number): Promise<{ bytes: Buffer; filename: string }> {
  return (await readFileAndFields(req, maxBytes)).file;
}

/** As `readFilePart`, and the short text fields sent beside the file (the last value of each name, at most 200 characters). */
export async function readFileAndFields(
  req: FastifyRequest,
  maxBytes: number,
): Promise<{ file: { bytes: Buffer; filename: string }; fields: Record<string, string> }> {
  if (!req.isMultipart()) throw new AppError('unsupported_media_type', 'send the file as multipart/form-data in the field "file"');
  let upload: { bytes: Buffer; filename: string } | undefined;
  const fields: Record<string, string> = {};
  for await (const part of req.parts({ limits: { fileSize: maxBytes, files: 1, fieldSize: 200, fields: 10 } })) {
    if (part.type !== 'file') {
      if (typeof part.value === 'string') fields[part.fieldname] = part.value;
      continue;
    }
    // toBuffer throws the plugin's 413 when the file passes the limit: say so with our code.
    const bytes = await part.toBuffer().catch((err: unknown) => {
      if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
        throw new AppError('file_too_large', `文件超过 ${Math.floor(maxBytes / 1024 / 1024)} MB`, { maxBytes });
      }
      throw err;
    });
    if (part.fieldname === 'file' && !upload) upload = { bytes, filename: part.filename || 'upload' };
  }
  if (!upload)
    throw new AppError('validation', 'send the file in the multipart field "file"', { errors: [{ path: 'file', message: 'required' }] });
  return { file: upload, fields };
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

/** Seconds a client is told to wait when every upload slot and queue place is taken. */
const UPLOAD_RETRY_AFTER_S = 5;

interface UploadSlots {
  active: number;
  waiting: (() => void)[];
}

/**
 * Bounds how many uploads (multipart requests) one server processes at once: `LIMITS.uploadsAtOnce`
 * run, up to `LIMITS.uploadsQueued` wait their turn, and any more get 503 with Retry-After. A
 * short queue rather than an immediate refusal: uploads cluster at a reporting deadline, and a
 * unit's upload that waits a second is better than one that fails; a bound on the queue keeps a
 * flood from holding sockets and memory. Every upload route is multipart, so one hook covers them
 * all (and any added later). The slot is taken after the session and policy checks (preHandler),
 * so an anonymous flood cannot occupy it, and is released when the response is sent or the
 * request is aborted.
 */
export function registerUploadSlots(app: FastifyInstance): void {
  const slots: UploadSlots = { active: 0, waiting: [] };
  const taken = new WeakSet<FastifyRequest>();
  const release = (req: FastifyRequest) => {
    if (!taken.has(req)) return;
    taken.delete(req);
    const next = slots.waiting.shift();
    if (next) next();
    else slots.active -= 1;
  };
  app.addHook('preHandler', async (req, reply) => {
    if (!req.isMultipart()) return;
    if (slots.active < LIMITS.uploadsAtOnce) slots.active += 1;
    else if (slots.waiting.length < LIMITS.uploadsQueued) await new Promise<void>((resolve) => slots.waiting.push(resolve));
    else {
      reply.header('retry-after', String(UPLOAD_RETRY_AFTER_S));
      throw new AppError('unavailable', `服务器正在处理其他上传，请 ${UPLOAD_RETRY_AFTER_S} 秒后重试`);
    }
    // The slot passes from the finished request to this one without `active` changing.
    taken.add(req);
    // 'close' fires however the response ends (sent, failed, client gone); onResponse as a backstop.
    reply.raw.once('close', () => release(req));
    // A client that left while waiting: its 'close' has passed already, so hand the slot on now.
    if (reply.raw.closed || req.raw.destroyed) release(req);
  });
  app.addHook('onResponse', async (req) => release(req));
}
