/**
 * THE one place that decides what is public per kind of publication. A kind's payload schema is
 * its allow-list: parsing strips every key the schema does not name, so a field added upstream
 * (a report's comment, a reviewer's name, an evidence file) never reaches the portal by accident.
 * A kind without a schema here cannot be published. After stripping, the payload is walked once
 * more for keys that are never public; finding one is a programming error (500), not a leak.
 */
import type { z } from 'zod';
import {
  AssessmentPayload,
  BulletinPayload,
  PeriodPayload,
  ProjectLibraryPayload,
  type PublicationKind,
} from '../../../shared/schemas/publication.schema.ts';

/**
 * The allow-list per kind. Assessments (issue 15), bulletins and the project library add their
 * schema here, beside their source in publication-kinds.ts.
 */
export const PUBLIC_PAYLOAD_SCHEMAS: Partial<Record<PublicationKind, z.ZodType>> = {
  period: PeriodPayload,
  assessment: AssessmentPayload,
  bulletin: BulletinPayload,
  project_library: ProjectLibraryPayload,
};

/**
 * Keys that name personal or internal data: people, contacts, comments, drafts, evidence, the
 * office's amendment reasons and the plan-text mentions. None may appear in any public payload.
 */
export const NEVER_PUBLIC_KEYS: ReadonlySet<string> = new Set([
  'comment',
  'comments',
  'reviewComment',
  'displayName',
  'username',
  'actorId',
  'phone',
  'mobile',
  'email',
  'evidence',
  'fileName',
  'sha256',
  'draft',
  'progressText',
  'issues',
  'nextSteps',
  'reason',
  'amendments',
  'mention',
  // The project library's internal fields: funding rows, owner contacts, return and change reasons.
  'funding',
  'ownerName',
  'returnReason',
  'why',
  'what',
  'decisionNote',
  'problems',
]);

function findForbiddenKey(value: unknown, path: string): string | null {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findForbiddenKey(value[i], `${path}[${i}]`);
      if (hit) return hit;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (NEVER_PUBLIC_KEYS.has(k)) return `${path}.${k}`;
      const hit = findForbiddenKey(v, `${path}.${k}`);
      if (hit) return hit;
    }
  }
  return null;
}

/** Whether records of `kind` can be published at all (a public schema exists). */
export function isPublishableKind(kind: PublicationKind): boolean {
  return PUBLIC_PAYLOAD_SCHEMAS[kind] !== undefined;
}

/**
 * The public projection of a built payload: only the allow-listed fields. Throws when the kind has
 * no allow-list or when a never-public key survived (a schema naming one by mistake).
 */
export function toPublicPayload(kind: PublicationKind, raw: unknown): unknown {
  const schema = PUBLIC_PAYLOAD_SCHEMAS[kind];
  if (!schema) throw new Error(`publication kind ${kind} has no public allow-list`);
  const projected = schema.parse(raw);
  const forbidden = findForbiddenKey(projected, '$');
  if (forbidden) throw new Error(`never-public key ${forbidden} in a ${kind} payload`);
  return projected;
}
