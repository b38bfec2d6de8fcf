import { z } from 'zod';
import { CalendarDate, Id, IsoDateTime, Text, Version } from './common.schema.ts';

// The enums live in ../enums.ts (zod-free, so a web chunk can import them without zod); re-exported here.
import { ESCALATION_STEPS, NOTICE_STATUSES } from '../enums.ts';

export { ESCALATION_STEPS, type EscalationStep, NOTICE_STATUSES, type NoticeStatus } from '../enums.ts';

const LongText = Text.pipe(z.string().trim().min(1));

/** One ledger row a notice is about: a task and one of its responsible organisations. */
export const NoticeRowRef = z.object({ taskId: Id, orgId: Id });

export const CreateNoticeBody = z.object({
  rows: z.array(NoticeRowRef).min(1).max(200),
  reason: LongText,
  requiredAction: LongText,
  dueDate: CalendarDate,
});
export type CreateNoticeBody = z.infer<typeof CreateNoticeBody>;

export const AnswerNoticeBody = z.object({
  version: Version,
  text: LongText,
  evidenceIds: z.array(Id).max(50).default([]),
});
export type AnswerNoticeBody = z.infer<typeof AnswerNoticeBody>;

export const NoticeActionBody = z.object({ version: Version, note: Text.optional() });
export type NoticeActionBody = z.infer<typeof NoticeActionBody>;

export const EscalateNoticeBody = z.object({ version: Version, step: z.enum(ESCALATION_STEPS), note: Text.default('') });
export type EscalateNoticeBody = z.infer<typeof EscalateNoticeBody>;

export const NoticeRow = z.object({ taskId: Id, taskText: z.string(), orgId: Id, orgName: z.string() });

/**
 * A file a receiving unit uploads to answer a notice (photo, PDF, office file; type sniffed from the
 * bytes like report evidence). Uploaded first, then named in the answer's `evidenceIds`.
 */
export const NoticeEvidenceFile = z.object({
  id: Id,
  noticeId: Id,
  orgId: Id,
  filename: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  createdBy: Id.nullable(),
  createdAt: IsoDateTime,
});
export type NoticeEvidenceFile = z.infer<typeof NoticeEvidenceFile>;
export const NoticeEvidenceFileList = z.object({ items: z.array(NoticeEvidenceFile) });

export const NoticeResponse = z.object({
  id: Id,
  orgId: Id,
  orgName: z.string(),
  text: z.string(),
  evidenceIds: z.array(z.string()),
  /** The files named in evidenceIds (download at GET /api/supervision/evidence/:id). */
  evidence: z.array(NoticeEvidenceFile),
  answeredBy: z.string().nullable(),
  at: IsoDateTime,
});
export const NoticeEscalation = z.object({
  step: z.enum(ESCALATION_STEPS),
  note: z.string(),
  actorId: z.string().nullable(),
  at: IsoDateTime,
});
/** The office closing (办结) or re-opening (重新办理) the notice, with its note, in order. */
export const NoticeAction = z.object({
  action: z.enum(['close', 'reopen']),
  note: z.string(),
  actorId: z.string().nullable(),
  at: IsoDateTime,
});

export const SupervisionNotice = z.object({
  id: Id,
  reason: z.string(),
  requiredAction: z.string(),
  dueDate: CalendarDate,
  status: z.enum(NOTICE_STATUSES),
  escalationStep: z.enum(ESCALATION_STEPS).nullable(),
  issuedBy: z.string().nullable(),
  closedAt: IsoDateTime.nullable(),
  rows: z.array(NoticeRow),
  responses: z.array(NoticeResponse),
  escalations: z.array(NoticeEscalation),
  actions: z.array(NoticeAction),
  version: Version,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type SupervisionNotice = z.infer<typeof SupervisionNotice>;

export const SupervisionNoticeList = z.object({ items: z.array(SupervisionNotice) });

export const NoticeListQuery = z.object({ status: z.enum(NOTICE_STATUSES).optional() });

export const ProposalsQuery = z.object({ asOf: CalendarDate.optional() });

/** Why a rule proposes a step: machine-readable for the UI's language, with the Chinese wording. */
export const EscalationReason = z.object({
  /** overdue: `count` days past the due date; missed_reports: `count` closed periods in a row without a report. */
  code: z.enum(['overdue', 'missed_reports']),
  count: z.number().int(),
  /** 已逾期 9 天 / 连续 2 期未报送. */
  text: z.string(),
});
export type EscalationReason = z.infer<typeof EscalationReason>;

export const EscalationProposal = z.object({
  noticeId: Id,
  currentStep: z.enum(ESCALATION_STEPS).nullable(),
  proposedStep: z.enum(ESCALATION_STEPS),
  reasons: z.array(EscalationReason),
  version: Version,
});
export const EscalationProposalList = z.object({ asOf: CalendarDate, items: z.array(EscalationProposal) });

export const Notification = z.object({
  id: Id,
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  readAt: IsoDateTime.nullable(),
  createdAt: IsoDateTime,
});
export type Notification = z.infer<typeof Notification>;
export const NotificationList = z.object({ items: z.array(Notification), unread: z.number().int() });
export const MarkAllReadResult = z.object({ marked: z.number().int() });
