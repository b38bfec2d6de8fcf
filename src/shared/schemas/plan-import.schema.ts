import { z } from 'zod';
import { ASSIGNMENT_ROLES, IMPORT_STATUSES } from '../enums.ts';
import { LIMITS } from '../limits.ts';
import { Id, IsoDateTime, Name } from './common.schema.ts';

/** POST /api/plan-imports with JSON (pasted text); a multipart upload of .txt/.docx is the other form. */
export const CreatePlanImportBody = z.object({
  text: z.string().min(1).max(LIMITS.planTextChars),
  filename: z.string().max(200).optional(),
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
          create: z.object({ name: Name, kind: z.enum(['jurisdiction', 'department', 'enterprise', 'office', 'group']) }),
        }),
      ]),
    )
    .min(1)
    .max(1000),
});

export const ConfirmPlanImportResult = z.object({ planId: Id, taskCount: z.number().int() });
