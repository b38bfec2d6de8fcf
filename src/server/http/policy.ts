import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DbOrTrx } from '../db/database.ts';
import type { Actor } from '../core/actor.ts';
import { Problem } from '../../shared/schemas/common.schema.ts';
import { AppError } from '../core/app-error.ts';
import { findTargetScope, findTaskExists, listTaskWriteAssignments } from '../core/assignment-facts.ts';

/**
 * Route-level policies (docs/decisions/0001-api-and-auth-contract.md):
 * - `public`: anyone;
 * - `signedIn` / `read`: any signed-in role (two names so a route says why it needs a session);
 * - `admin`: the admin role only;
 * - `write`: admin, lead or unit; the route must then call an object-level check
 *   (assertCanWriteTask / assertCanWriteTarget), because what they may write depends on the row.
 */
export const POLICIES = ['public', 'read', 'signedIn', 'admin', 'write'] as const;
export type Policy = (typeof POLICIES)[number];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on every /api route: the app refuses to start without it. */
    policy?: Policy;
    /** false exempts a state-changing route from the CSRF header check (login only). */
    csrf?: boolean;
  }
}

/** Throws 401 if anonymous, 403 if the role is not allowed by `policy`. */
export function assertPolicy(actor: Actor | null, policy: Policy): void {
  if (policy === 'public') return;
  if (!actor) throw new AppError('unauthenticated', 'sign in first');
  if (policy === 'admin' && actor.role !== 'admin') throw new AppError('forbidden', 'administrators only');
  if (policy === 'write' && actor.role === 'leader') throw new AppError('forbidden', 'this role cannot change data');
}

/** The signed-in actor, or 401: for handlers behind a non-public policy. */
export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('unauthenticated', 'sign in first');
  return req.actor;
}

// Routes that the docs plugins register themselves; they cannot declare a policy.
const DOCS_PREFIX = '/api/docs';

/**
 * Enforces route policies. Installs an onRoute check (an /api route without `config.policy`
 * fails start-up) and an onRequest check, which runs before the body is parsed, so anonymous
 * callers learn nothing about validation.
 */
export function registerPolicyHooks(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const url = route.url ?? route.path ?? '';
    if (!url.startsWith('/api')) return;
    if (url === DOCS_PREFIX || url.startsWith(`${DOCS_PREFIX}/`)) {
      route.config = { ...(route.config ?? {}), policy: 'public' };
      return;
    }
    const policy = (route.config as { policy?: Policy } | undefined)?.policy;
    if (!policy || !POLICIES.includes(policy)) {
      throw new Error(`route ${String(route.method)} ${url} has no config.policy (one of ${POLICIES.join(', ')})`);
    }
    documentRoute(route as { schema?: Record<string, any> }, policy);
  });

  app.addHook('onRequest', async (req) => {
    // Unmatched URLs (404) have no route config: the not-found handler answers them.
    if (req.is404) return;
    const policy = req.routeOptions.config.policy;
    if (!policy) return;
    assertPolicy(req.actor, policy);
  });
}

const POLICY_TEXT: Record<Policy, string> = {
  public: 'Policy: public (no sign-in).',
  read: 'Policy: read (any signed-in role).',
  signedIn: 'Policy: signed in (any role).',
  admin: 'Policy: admin only.',
  write: 'Policy: write (admin, or a lead/unit user the row is assigned to; never leader).',
};

// The OpenAPI document states each route's policy and its problem+json error shape, so API
// clients (and the web app) see the contract without reading the code.
function documentRoute(route: { schema?: Record<string, any> }, policy: Policy): void {
  const schema = route.schema;
  if (!schema || schema.hide) return;
  const note = POLICY_TEXT[policy];
  // onRoute also fires for the HEAD twin of a GET, which shares the schema object.
  if (!String(schema.description ?? '').includes(note)) {
    schema.description = schema.description ? `${schema.description}\n\n${note}` : note;
  }
  if (policy !== 'public') schema.security = [{ session: [] }];
  if (schema.response && !schema.response['4xx']) {
    schema.response = {
      ...schema.response,
      '4xx': { description: 'RFC 9457 problem', content: { 'application/problem+json': { schema: Problem } } },
    };
  }
}

/**
 * "task write": admin; a `lead` user whose organisation is a lead unit of the task; a `unit`
 * user whose organisation is the task's one and only responsible unit, named directly.
 * A task shared by several units (or given to a group such as 各县区政府) is one ledger row per
 * unit, but its status, text, deadlines and city-wide targets are one record: letting any one
 * county change them would change every other county's row. So on a shared task a unit writes
 * only the targets of its own jurisdiction (see "target write"), and reports its own progress.
 * 404 when the task does not exist, 403 when the actor may not write it.
 */
export async function assertCanWriteTask(db: DbOrTrx, actor: Actor | null, taskId: string): Promise<void> {
  if (!actor) throw new AppError('unauthenticated', 'sign in first');
  if (!(await findTaskExists(db, taskId))) throw new AppError('not_found', 'task not found');
  if (await canWriteTaskRow(db, actor, taskId)) return;
  throw new AppError('forbidden', 'your organisation may not change this task');
}

/** The assignments "task write" looks at: who leads the task and who is responsible for it. */
export interface TaskWriteScope {
  leadOrgIds: readonly string[];
  responsibleOrgIds: readonly string[];
}

/**
 * The "task write" rule itself, over facts already loaded: the task's lead and responsible
 * organisations. The single-task check below and batch readers (the ledger's canEdit) both
 * decide with it.
 */
export function canWriteTaskWithScope(actor: Actor, scope: TaskWriteScope): boolean {
  switch (actor.role) {
    case 'admin':
      return true;
    case 'lead':
      return scope.leadOrgIds.includes(actor.orgId);
    case 'unit':
      return scope.responsibleOrgIds.length === 1 && scope.responsibleOrgIds[0] === actor.orgId;
    default:
      return false;
  }
}

async function canWriteTaskRow(db: DbOrTrx, actor: Actor, taskId: string): Promise<boolean> {
  if (actor.role === 'admin') return true;
  if (actor.role !== 'lead' && actor.role !== 'unit') return false;
  const assignments = await listTaskWriteAssignments(db, taskId);
  return canWriteTaskWithScope(actor, {
    leadOrgIds: assignments.filter((a) => a.role === 'lead').map((a) => a.org_id),
    responsibleOrgIds: [...new Set(assignments.filter((a) => a.role === 'responsible').map((a) => a.org_id))],
  });
}

/**
 * "target write": a target of its own jurisdiction is a `unit` user's own number; a target of
 * another jurisdiction never is; a target that names no
 * jurisdiction follows "task write". 404 when the target does not exist.
 */
export async function assertCanWriteTarget(db: DbOrTrx, actor: Actor | null, targetId: string): Promise<void> {
  if (!actor) throw new AppError('unauthenticated', 'sign in first');
  const scope = await findTargetScope(db, targetId);
  if (!scope) throw new AppError('not_found', 'target not found');
  if (actor.role === 'unit' && scope.jurisdictionOrgId !== null) {
    if (scope.jurisdictionOrgId === actor.orgId) return;
    throw new AppError('forbidden', 'this target belongs to another jurisdiction');
  }
  if (await canWriteTaskRow(db, actor, scope.taskId)) return;
  throw new AppError('forbidden', 'your organisation may not change this target');
}
