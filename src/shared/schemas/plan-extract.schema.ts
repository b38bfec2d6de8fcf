import { z } from 'zod';
import { COMPARATORS } from '../enums.ts';
import { LIMITS } from '../limits.ts';
import { CalendarDate, Id } from './common.schema.ts';

/**
 * The parser's PlanExtract (src/plan-parser/plan-extract.types.ts) as a zod schema, for the edits an
 * admin makes in the import review table (PUT /api/plan-imports/:id/extract). Kept in sync with the
 * types by a compile-time check in the plan-imports service. Sizes are capped so a body cannot ask
 * the server for unbounded work.
 */
// Offsets into the plan text, which is at most LIMITS.planTextChars long.
const Offset = z.number().int().min(0).max(LIMITS.planTextChars);
const Span = z.tuple([Offset, Offset]);
const ShortText = z.string().max(500);

export const ExtractUnitRef = z.object({
  mention: z.string().trim().min(1).max(200),
  name: z.string().trim().min(1).max(200),
  /** An organisation the admin picked; re-resolved by name when absent or unknown. */
  orgId: Id.optional(),
});
export type ExtractUnitRef = z.infer<typeof ExtractUnitRef>;

export const ExtractDeadline = z.object({ date: CalendarDate, text: ShortText, span: Span });

export const ExtractTarget = z.object({
  value: z.number().finite(),
  max: z.number().finite().optional(),
  unit: z.string().max(50),
  comparator: z.enum(COMPARATORS),
  jurisdictions: z.array(z.string().trim().min(1).max(100)).max(50),
  metric: z.string().max(200),
  text: ShortText,
  span: Span,
});

const UnitList = z.array(ExtractUnitRef).max(200);

export const ExtractAssignment = z.object({
  span: Span,
  lead: UnitList,
  responsible: UnitList,
  cooperating: UnitList,
});

export const ExtractTask = z.object({
  sectionPath: z.array(z.string().max(20)).max(10),
  text: z.string().trim().min(1).max(20_000),
  span: Span,
  assignment: ExtractAssignment,
  deadlines: z.array(ExtractDeadline).max(100),
  targets: z.array(ExtractTarget).max(200),
});

export interface ExtractSection {
  path: string[];
  title: string;
  span: [number, number];
  children: ExtractSection[];
  deadlines: z.infer<typeof ExtractDeadline>[];
  targets: z.infer<typeof ExtractTarget>[];
}
/**
 * How deep sections may nest. The parser's outline has six heading styles (第X章, 一、, (一), 1.,
 * (1), ①), so a real plan has at most six levels; eight leaves room for hand-edited extracts.
 */
export const MAX_SECTION_DEPTH = 8;

// One schema per level instead of a z.lazy recursion: a recursive schema validates a body nested
// thousands deep by recursing as deep (a stack overflow, a 500), and accepts 200 levels that no
// plan has. Built this way the schema itself is finite, and the OpenAPI document states the limit.
function sectionAtLevel(level: number): z.ZodType<ExtractSection> {
  const children =
    level < MAX_SECTION_DEPTH
      ? z.array(sectionAtLevel(level + 1)).max(500)
      : (z.array(z.unknown()).max(0, { error: `章节层级过深：最多 ${MAX_SECTION_DEPTH} 级` }) as unknown as z.ZodType<ExtractSection[]>);
  return z.object({
    path: z.array(z.string().max(20)).min(1).max(10),
    title: z.string().max(500),
    span: Span,
    children,
    deadlines: z.array(ExtractDeadline).max(100),
    targets: z.array(ExtractTarget).max(200),
  });
}
/** A top-level section of the outline, its children at most MAX_SECTION_DEPTH levels deep in all. */
export const ExtractSection: z.ZodType<ExtractSection> = sectionAtLevel(1);

export const PlanExtract = z.object({
  title: z.string().max(200).nullable(),
  issuer: z.string().max(200).nullable(),
  year: z.number().int().min(1949).max(2100).nullable(),
  sections: z.array(ExtractSection).max(2000),
  tasks: z.array(ExtractTask).min(1).max(10_000),
});
export type PlanExtract = z.infer<typeof PlanExtract>;

/** PUT /api/plan-imports/:id/extract: the whole extraction as edited in the review table. */
export const UpdatePlanExtractBody = z.object({ extract: PlanExtract });
export type UpdatePlanExtractBody = z.infer<typeof UpdatePlanExtractBody>;
