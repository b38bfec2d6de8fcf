import { Writable } from 'node:stream';

/** A writable stream that keeps what a CLI command writes, for tests that read its stdout/stderr. */
export function sink(): { stream: Writable; text: () => string } {
  let buf = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      buf += chunk.toString();
      cb();
    },
  });
  return { stream, text: () => buf };
}
