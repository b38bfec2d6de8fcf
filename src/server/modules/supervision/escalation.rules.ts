import {
  ESCALATION_STEPS,
  type EscalationReason,
  type EscalationStep,
  type NoticeStatus,
} from '../../../shared/schemas/supervision.schema.ts';

/** Each rung's name as notices, audit texts and 通报 print it. */
export const STEP_LABEL: Record<EscalationStep, string> = {
  reminder: '提醒',
  urging: '催办',
  yellow_card: '黄牌',
  red_card: '红牌',
  interview: '约谈',
  accountability: '问责',
};

/** Days a notice may be overdue, and days since its last step, before the next step is proposed. */
export const OVERDUE_DAYS_TO_ESCALATE = 7;
/** Missed reports in a row (the row's organisation, most recent closed periods) that call for 催办. */
export const MISSED_REPORTS_FOR_URGING = 2;

export interface EscalationNotice {
  status: NoticeStatus;
  dueDate: string;
  escalationStep: EscalationStep | null;
  /** When the last step was confirmed (ISO date or date-time), null before the first. */
  lastEscalatedAt: string | null;
}

export interface EscalationFacts {
  /** The most missed reports in a row among the notice's organisations. */
  consecutiveMissedReports: number;
}

export interface EscalationProposalResult {
  step: EscalationStep;
  reasons: EscalationReason[];
}

/** The step after `current` (null: the first), or null at the top of the ladder. */
export function nextEscalationStep(current: EscalationStep | null): EscalationStep | null {
  const i = current === null ? 0 : ESCALATION_STEPS.indexOf(current) + 1;
  return ESCALATION_STEPS[i] ?? null;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to.slice(0, 10)) - Date.parse(from.slice(0, 10))) / 86_400_000);
}

/**
 * Proposes the next escalation step of a notice as of `asOf`, or null. Rules: a closed notice never
 * escalates; an open notice overdue by ≥ 7 days earns the next step; 2 missed reports in a row by
 * one of its organisations call for at least 催办. A proposal is always exactly the next step
 * (never skipping one), because the office confirms steps one at a time and each must be visible
 * to the unit before the next; and after a step the unit gets 7 days before another is proposed.
 */
export function proposeEscalation(notice: EscalationNotice, facts: EscalationFacts, asOf: string): EscalationProposalResult | null {
  if (notice.status === 'closed') return null;
  const next = nextEscalationStep(notice.escalationStep);
  if (!next) return null;
  if (notice.lastEscalatedAt && daysBetween(notice.lastEscalatedAt, asOf) < OVERDUE_DAYS_TO_ESCALATE) return null;

  const reasons: EscalationReason[] = [];
  const overdue = daysBetween(notice.dueDate, asOf);
  // An answered notice waits on the office's review, not the unit: lateness no longer counts.
  if (notice.status === 'open' && overdue >= OVERDUE_DAYS_TO_ESCALATE)
    reasons.push({ code: 'overdue', count: overdue, text: `已逾期 ${overdue} 天` });
  const currentIndex = notice.escalationStep === null ? -1 : ESCALATION_STEPS.indexOf(notice.escalationStep);
  if (facts.consecutiveMissedReports >= MISSED_REPORTS_FOR_URGING && currentIndex < ESCALATION_STEPS.indexOf('urging')) {
    const count = facts.consecutiveMissedReports;
    reasons.push({ code: 'missed_reports', count, text: `连续 ${count} 期未报送` });
  }
  return reasons.length > 0 ? { step: next, reasons } : null;
}
