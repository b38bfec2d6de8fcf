import type { FastifyInstance } from 'fastify';
import { AppError } from './app-error.ts';

// PostgreSQL text cannot hold U+0000 (SQLite can), so a NUL in any input string would pass
// validation and then fail in the database as a 500 on one dialect only. No field of this
// domain needs it: refuse it up front, the same way on both databases.
function findNul(value: unknown, path: string[], depth = 0): string[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (depth > 64 || value === null || typeof value !== 'object') return null;
  for (const [key, v] of Object.entries(value)) {
    if (typeof key === 'string' && key.includes('\u0000')) return [...path, key];
    const hit = findNul(v, [...path, key], depth + 1);
    if (hit) return hit;
  }
  return null;
}

/** Rejects NUL characters anywhere in params, query or JSON body with a 400 validation problem. */
export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    for (const [where, value] of [
      ['params', req.params],
      ['querystring', req.query],
      ['body', req.body],
    ] as const) {
      const hit = findNul(value, []);
      if (hit) {
        const path = hit.join('.') || where;
        throw new AppError('validation', 'text must not contain NUL characters', {
          errors: [{ path, message: 'must not contain NUL (U+0000) characters' }],
        });
      }
    }
  });
}
