import { Tag } from 'antd';
import { ESCALATION_STEPS, type EscalationStep, type NoticeStatus } from '../../../../shared/schemas/supervision.schema.ts';
import { useI18n } from '../../../lib/i18n.ts';

const STATUS_COLOURS: Record<NoticeStatus, string> = { open: 'blue', answered: 'cyan', closed: 'green' };

/** One colour per rung: the ladder gets hotter as it climbs. */
export const STEP_COLOURS: Record<EscalationStep, string | undefined> = {
  reminder: undefined,
  urging: 'orange',
  yellow_card: 'gold',
  red_card: 'red',
  interview: 'magenta',
  accountability: 'volcano',
};

export function NoticeStatusTag({ status }: { status: NoticeStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLOURS[status]} className={`notice-status notice-status-${status}`}>
      {t(`supervision.status.${status}`)}
    </Tag>
  );
}

export function StepTag({ step }: { step: EscalationStep | null }) {
  const { t } = useI18n();
  if (!step) return <span className="notice-step-none">{t('supervision.step.none')}</span>;
  return (
    <Tag color={STEP_COLOURS[step]} className={`notice-step notice-step-${step}`}>
      {t(`supervision.step.${step}`)}
    </Tag>
  );
}

/** The rung after `step` (提醒 after none), or null at 问责. */
export function nextStep(step: EscalationStep | null): EscalationStep | null {
  if (!step) return ESCALATION_STEPS[0];
  return ESCALATION_STEPS[ESCALATION_STEPS.indexOf(step) + 1] ?? null;
}

/** A notice is past due when its due date is before today and it is not closed. */
export function isPastDue(notice: { dueDate: string; status: NoticeStatus }, today: string): boolean {
  return notice.status !== 'closed' && notice.dueDate < today;
}
