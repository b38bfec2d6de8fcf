/**
 * Who may publish to and withdraw from the public portal: the office (admin role). Called by the
 * service as the first statement inside its transaction. Reading published pages needs nobody.
 */
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';

/** 401 without a session, 403 unless the office. */
export function assertCanPublish(actor: Actor | null): asserts actor is Actor {
  if (!actor) throw new AppError('unauthenticated', 'sign in first');
  if (actor.role !== 'admin') throw new AppError('forbidden', 'only the office publishes to the public portal');
}
