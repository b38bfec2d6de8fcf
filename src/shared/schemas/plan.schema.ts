import { z } from 'zod';
import { ASSIGNMENT_ROLES, COMPARATORS, DELIVERY_STATUSES, JURISDICTION_LEVELS, PLAN_STATUSES } from '../enums.ts';
import { CalendarDate, Id, IsoDateTime, Name, Page, Span, Text, Version } from './common.schema.ts';

export const Plan = z.object({
  id: Id,
  title: Name,
  issuer: z.string().nullable(),
  year: z.number().int().nullable(),
  status: z.enum(PLAN_STATUSES),
  /** Who the plan's jurisdictions are (各县区 / 各市 / 各部门): how screens word them. */
  jurisdictionLevel: z.enum(JURISDICTION_LEVELS),
  taskCount: z.number().int(),
  version: Version,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Plan = z.infer<typeof Plan>;
export const PlanList = z.object({ items: z.array(Plan), total: z.number().int() });
export const UpdatePlanBody = z.object({
  version: Version,
  title: Name.optional(),
  issuer: z.string().max(200).nullable().optional(),
  year: z.number().int().min(1949).max(2100).nullable().optional(),
  status: z.enum(PLAN_STATUSES).optional(),
  jurisdictionLevel: z.enum(JURISDICTION_LEVELS).optional(),
});

export const Section = z.object({
  id: Id,
  planId: Id,
  parentId: Id.nullable(),
  /** Number tokens from the root: ["三", "(三)", "1"]. */
  path: z.array(z.string()),
  title: z.string(),
  ordinal: z.number().int(),
  span: Span,
  /** Optimistic concurrency of the office's edits (rename, reorder, delete). */
  version: Version,
});
export type Section = z.infer<typeof Section>;
export type SectionNode = Section & { children: SectionNode[] };
export const SectionNode: z.ZodType<SectionNode> = Section.extend({
  children: z.lazy(() => z.array(SectionNode)),
});

export const PlanDetail = Plan.extend({ sections: z.array(SectionNode) });
export type PlanDetail = z.infer<typeof PlanDetail>;

export const Assignment = z.object({
  id: Id,
  taskId: Id,
  orgId: Id,
  orgName: z.string(),
  role: z.enum(ASSIGNMENT_ROLES),
  /** The words of the plan that named this unit. */
  mention: z.string().nullable(),
});
export type Assignment = z.infer<typeof Assignment>;
export const CreateAssignmentBody = z.object({ orgId: Id, role: z.enum(ASSIGNMENT_ROLES) });

export const Deadline = z.object({
  id: Id,
  taskId: Id,
  date: CalendarDate,
  text: z.string(),
  span: Span.nullable(),
});
export type Deadline = z.infer<typeof Deadline>;
export const CreateDeadlineBody = z.object({ date: CalendarDate, text: z.string().max(200).default('') });

export const Target = z.object({
  id: Id,
  taskId: Id,
  metric: z.string(),
  unit: z.string(),
  comparator: z.enum(COMPARATORS),
  value: z.number(),
  maxValue: z.number().nullable(),
  baseline: z.number().nullable(),
  /** null = city-wide / no one named. */
  jurisdictionOrgId: Id.nullable(),
  jurisdictionName: z.string().nullable(),
  /** The jurisdiction as written in the plan: 市城区, 两县. */
  jurisdictionLabel: z.string().nullable(),
  deadline: CalendarDate.nullable(),
  /** A district share of a city total (其中淇滨区9公里…). */
  parentTargetId: Id.nullable(),
  text: z.string(),
  span: Span.nullable(),
  status: z.enum(DELIVERY_STATUSES),
  version: Version,
});
export type Target = z.infer<typeof Target>;

/**
 * A target as part of its task (GET /api/tasks/:id, a plan's task list): with the status it shows
 * today, as the ledger works it out (statusAsOf: stored, overdue once its deadline, or else the
 * task's, has passed). A target on its own (the target endpoints) carries only what is stored.
 */
export const TaskTarget = Target.extend({ statusAsOf: z.enum(DELIVERY_STATUSES) });
export type TaskTarget = z.infer<typeof TaskTarget>;

// Defaults belong to create only: zod 4 applies a default inside .partial() too, so an update
// schema derived from fields with defaults would reset every omitted field to its default.
const TargetFieldsBase = z.object({
  metric: Name,
  unit: z.string().trim().min(1).max(20),
  comparator: z.enum(COMPARATORS),
  value: z.number().finite(),
  maxValue: z.number().finite().nullable(),
  baseline: z.number().finite().nullable(),
  jurisdictionOrgId: Id.nullable(),
  jurisdictionLabel: z.string().max(100).nullable(),
  deadline: CalendarDate.nullable(),
  parentTargetId: Id.nullable(),
  text: Text,
});
export const CreateTargetBody = TargetFieldsBase.extend({
  comparator: TargetFieldsBase.shape.comparator.default('='),
  maxValue: TargetFieldsBase.shape.maxValue.default(null),
  baseline: TargetFieldsBase.shape.baseline.default(null),
  jurisdictionOrgId: TargetFieldsBase.shape.jurisdictionOrgId.default(null),
  jurisdictionLabel: TargetFieldsBase.shape.jurisdictionLabel.default(null),
  deadline: TargetFieldsBase.shape.deadline.default(null),
  parentTargetId: TargetFieldsBase.shape.parentTargetId.default(null),
  text: TargetFieldsBase.shape.text.default(''),
});
export type CreateTargetBody = z.infer<typeof CreateTargetBody>;
export const UpdateTargetBody = TargetFieldsBase.partial().extend({
  version: Version,
  status: z.enum(DELIVERY_STATUSES).optional(),
});
export type UpdateTargetBody = z.infer<typeof UpdateTargetBody>;

export const Task = z.object({
  id: Id,
  planId: Id,
  sectionId: Id.nullable(),
  sectionPath: z.array(z.string()),
  sectionTitle: z.string().nullable(),
  /** 序号: position in the plan, 1-based. */
  seq: z.number().int(),
  text: z.string(),
  span: Span.nullable(),
  assignmentText: z.string().nullable(),
  /** Stored: what the status engine or a person last set (PATCH changes this one). */
  status: z.enum(DELIVERY_STATUSES),
  /**
   * What the ledger, the dashboard and the task page show today (the server's asOf): the stored
   * status, or overdue once a deadline has passed (statusAsOf in src/status-engine).
   */
  statusAsOf: z.enum(DELIVERY_STATUSES),
  assignments: z.array(Assignment),
  deadlines: z.array(Deadline),
  targets: z.array(TaskTarget),
  version: Version,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Task = z.infer<typeof Task>;

export const TaskListQuery = Page.extend({
  sectionId: Id.optional(),
  /** Rows where this organisation is assigned (any role, or `role` if given). */
  orgId: Id.optional(),
  role: z.enum(ASSIGNMENT_ROLES).optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
  q: z.string().max(200).optional(),
});
export type TaskListQuery = z.infer<typeof TaskListQuery>;
export const TaskList = z.object({ items: z.array(Task), total: z.number().int() });

export const UpdateTaskBody = z.object({
  version: Version,
  text: Text.min(1).optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
  sectionId: Id.nullable().optional(),
});
export type UpdateTaskBody = z.infer<typeof UpdateTaskBody>;

export const AuditEvent = z.object({
  id: z.number().int(),
  at: IsoDateTime,
  actorId: Id.nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;
export const AuditList = z.object({ items: z.array(AuditEvent) });
/**
 * A task's history: the events, and the display names of the people the events name by id inside
 * their records (a report's reviewer), so the history says who, not a UUID.
 */
export const TaskHistory = AuditList.extend({ names: z.record(z.string(), z.string()) });
export const AuditVerifyResult = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  /** The first event whose hash or link does not match. */
  firstBrokenId: z.number().int().nullable(),
  reason: z.string().nullable(),
});

// ——— Editing a confirmed plan's structure (the office only; plans/plan-structure.service.ts) ———

/** Up or down among its siblings (sections) or among its section's tasks (tasks). */
export const MoveDirection = z.enum(['up', 'down']);
export type MoveDirection = z.infer<typeof MoveDirection>;

/** A new section, last among its siblings (a root section when parentId is null). */
export const CreateSectionBody = z.object({ title: Name, parentId: Id.nullable().default(null) });
export type CreateSectionBody = z.infer<typeof CreateSectionBody>;
/** Renames a section (send the version you read). */
export const UpdateSectionBody = z.object({ version: Version, title: Name });
export type UpdateSectionBody = z.infer<typeof UpdateSectionBody>;
/** Moves a section one place among its siblings; the outline's numbers (一、二、…) follow. */
export const MoveSectionBody = z.object({ version: Version, direction: MoveDirection });
export type MoveSectionBody = z.infer<typeof MoveSectionBody>;

/**
 * Moves a task: into another section (`sectionId`, null = outside every section; it goes last
 * there) and/or one place up or down among its section's tasks. 序号 (seq) follow the outline.
 */
export const MoveTaskBody = z.object({
  version: Version,
  sectionId: Id.nullable().optional(),
  direction: MoveDirection.optional(),
});
export type MoveTaskBody = z.infer<typeof MoveTaskBody>;

/**
 * Splits a task in two: it keeps `text` (and its reports, 督办 and history); a new task right
 * after it gets `newText`, copies of its assignments and deadlines, and the targets named in
 * `targetIds` (only targets nobody has reported on can move).
 */
export const SplitTaskBody = z.object({
  version: Version,
  text: Text.min(1),
  newText: Text.min(1),
  targetIds: z.array(Id).max(200).default([]),
});
export type SplitTaskBody = z.infer<typeof SplitTaskBody>;
export const SplitTaskResult = z.object({ task: Task, created: Task });

/**
 * Merges `otherTaskId` into this task (the survivor): the survivor keeps its reports, 督办 and
 * history and takes the other's assignments, deadlines and targets; the other is deleted, so it
 * must have no reports or 督办 (409 task_has_progress). `text` defaults to both texts joined.
 */
export const MergeTaskBody = z.object({
  version: Version,
  otherTaskId: Id,
  otherVersion: Version,
  text: Text.min(1).optional(),
});
export type MergeTaskBody = z.infer<typeof MergeTaskBody>;
