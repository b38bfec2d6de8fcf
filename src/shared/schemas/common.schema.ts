import { z } from 'zod';
import { LIMITS } from '../limits.ts';

/** App-generated ids (UUID v4 text): portable across SQLite and PostgreSQL. */
export const Id = z.string().uuid();
export const IdParams = z.object({ id: Id });

/**
 * Optimistic concurrency: every mutable row carries a version; updates must send the one they read.
 * At most 2^31 - 2, because an update writes version + 1 into a 32-bit integer column (PostgreSQL).
 */
export const Version = z.number().int().min(1).max(2_147_483_646);

export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
export const IsoDateTime = z.string();

export const Name = z.string().trim().min(1).max(LIMITS.nameChars);
export const Text = z.string().max(LIMITS.textChars);

export const Page = z.object({
  limit: z.coerce.number().int().min(1).max(LIMITS.pageSizeMax).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const Span = z.tuple([z.number().int().min(0), z.number().int().min(0)]);

/** RFC 9457 problem details, as every error response. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  code: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  /** For 409 version conflicts: the row as it is now. */
  current: z.unknown().optional(),
});
export type Problem = z.infer<typeof Problem>;

export const Ok = z.object({ ok: z.literal(true) });
