/** Domain enums shared by server and web. Chinese labels live in the web message catalogues. */
export const USER_ROLES = ['admin', 'lead', 'unit', 'leader'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const ORG_KINDS = ['jurisdiction', 'department', 'enterprise', 'office', 'group'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

/** 牵头 / 责任 / 配合. */
export const ASSIGNMENT_ROLES = ['lead', 'responsible', 'cooperating'] as const;
export type AssignmentRole = (typeof ASSIGNMENT_ROLES)[number];

export const COMPARATORS = ['>=', '<=', '>', '<', '='] as const;
export type Comparator = (typeof COMPARATORS)[number];

/** Delivery status of a task or target row; computed by the status engine from issue 5 on. */
export const DELIVERY_STATUSES = ['not_started', 'on_track', 'at_risk', 'overdue', 'done'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * The level of a plan's responsible jurisdictions: a city plan gives targets to its counties and
 * districts (各县区), a provincial plan to its cities (各市), a departmental plan to departments
 * (各部门). Screens word themselves from it.
 */
export const JURISDICTION_LEVELS = ['county', 'city', 'department'] as const;
export type JurisdictionLevel = (typeof JURISDICTION_LEVELS)[number];

export const PLAN_STATUSES = ['active', 'archived'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const IMPORT_STATUSES = ['draft', 'confirmed', 'discarded'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** A 督办 notice: open → answered → closed (and re-opened). */
export const NOTICE_STATUSES = ['open', 'answered', 'closed'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

/** The escalation ladder, in order: 提醒 → 催办 → 黄牌 → 红牌 → 约谈 → 问责. */
export const ESCALATION_STEPS = ['reminder', 'urging', 'yellow_card', 'red_card', 'interview', 'accountability'] as const;
export type EscalationStep = (typeof ESCALATION_STEPS)[number];
