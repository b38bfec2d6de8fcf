import { z } from 'zod';
import { ASSIGNMENT_ROLES, IMPORT_STATUSES } from '../enums.ts';
import { LIMITS } from '../limits.ts';
import { Id, IsoDateTime, Name } from './common.schema.ts';

/** POST /api/plan-imports with JSON (pasted text); a multipart upload of .txt/.docx is the other form. */
export const CreatePlanImportBody = z.object({
  text: z.string().min(1).max(LIMITS.planTextChars),
  filename: z.string().max(200).optional(),
  /** Set to re-import a revised version of this existing plan (multipart: a field of that name). */
  revisesPlanId: Id.optional(),
});

export const UnresolvedMention = z.object({
  mention: z.string(),
  name: z.string(),
  occurrences: z.array(z.object({ taskIndex: z.number().int(), role: z.enum(ASSIGNMENT_ROLES) })),
  /** The organisation the admin chose, once mapped. */
  orgId: Id.nullable(),
});

export const PlanImport = z.object({
  id: Id,
  status: z.enum(IMPORT_STATUSES),
  filename: z.string().nullable(),
  title: z.string().nullable(),
  text: z.string(),
  /** The PlanExtract from src/plan-parser, with orgIds attached where resolved. */
  extract: z.unknown(),
  unresolved: z.array(UnresolvedMention),
  planId: Id.nullable(),
  /** The plan this draft revises, and how its clauses map onto that plan's tasks. */
  revisesPlanId: Id.nullable(),
  diff: z.lazy(() => PlanRevisionDiff).nullable(),
  createdAt: IsoDateTime,
});
export type PlanImport = z.infer<typeof PlanImport>;

/** Map unresolved mentions: to an existing organisation, or create one. */
export const MapMentionsBody = z.object({
  mappings: z
    .array(
      z.union([
        z.object({ name: z.string().min(1), orgId: Id }),
        z.object({
          name: z.string().min(1),
          create: z.object({
            name: Name,
            kind: z.enum(['jurisdiction', 'department', 'enterprise', 'office', 'group']),
            /**
             * For a new group ("各区政府"): the organisations it stands for. A task assigned to the
             * group gives one ledger row per member (organisation_members, as the registry's groups).
             */
            memberIds: z.array(Id).max(500).optional(),
          }),
        }),
      ]),
    )
    .min(1)
    .max(1000),
});

export const ConfirmPlanImportResult = z.object({ planId: Id, taskCount: z.number().int() });

/**
 * Re-import of a revised plan: the draft's clauses matched to the existing plan's tasks by text
 * similarity. Unchanged and edited tasks keep their ids (and so their history and reports).
 */
export const PlanRevisionDiff = z.object({
  planId: Id,
  unchanged: z.array(z.object({ taskId: Id, taskIndex: z.number().int() })),
  edited: z.array(z.object({ taskId: Id, taskIndex: z.number().int(), similarity: z.number(), before: z.string(), after: z.string() })),
  added: z.array(z.object({ taskIndex: z.number().int(), text: z.string() })),
  removed: z.array(z.object({ taskId: Id, seq: z.number().int(), text: z.string() })),
});
export type PlanRevisionDiff = z.infer<typeof PlanRevisionDiff>;
