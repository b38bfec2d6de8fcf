/**
 * multipart/form-data bodies for app.inject (the upload routes read one file field).
 *
 * ```ts
 * await client.request({ method: 'POST', url, ...multipart(bytes, '照片.png', 'image/png') });
 * const { payload, headers } = multipartFile('document', 'plan.txt', text);
 * ```
 */
import { randomUUID } from 'node:crypto';

/** A multipart/form-data body with one file field named `field`. */
export function multipartFile(
  field: string,
  filename: string,
  content: Buffer | string,
  contentType = 'application/octet-stream',
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----luoshi${randomUUID()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const body = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return {
    payload: Buffer.concat([head, body, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** The usual case: the file in field `file`. */
export function multipart(bytes: Buffer, filename: string, contentType = 'application/octet-stream') {
  return multipartFile('file', filename, bytes, contentType);
}
