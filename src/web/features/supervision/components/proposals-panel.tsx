import { App as AntApp, Button, Card, Skeleton, Typography } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { isApiError } from '../../../lib/api-client.ts';
import { describeError } from '../../../lib/errors.ts';
import { formatDate, type Translate, useI18n } from '../../../lib/i18n.ts';
import { type EscalationProposalData, type SupervisionNotice, useEscalate, useProposals } from '../api/supervision.api.ts';
import type { EscalationReason } from '../../../../shared/schemas/supervision.schema.ts';
import { StepTag } from './notice-tags.tsx';

/** The rule's reason in the UI language, from its code (the server's Chinese text is the fallback). */
export function proposalReason(reason: EscalationReason, t: Translate): string {
  if (reason.code === 'overdue') return t('supervision.proposals.reason.overdue', { days: reason.count });
  if (reason.code === 'missed_reports') return t('supervision.proposals.reason.missed', { count: reason.count });
  return reason.text;
}

/**
 * 规则建议 (admin): the rung the escalation rules propose for each notice not closed, with the
 * rules' reasons; 确认 records exactly that rung, one notice at a time.
 */
export function ProposalsPanel({ notices }: { notices: readonly SupervisionNotice[] }) {
  const { t, locale } = useI18n();
  const { message } = AntApp.useApp();
  const proposals = useProposals(true);
  const escalate = useEscalate();
  const reasonOf = useMemo(() => new Map(notices.map((n) => [n.id, n.reason])), [notices]);
  const items = proposals.data?.items ?? [];

  const confirm = (p: EscalationProposalData) =>
    escalate.mutate(
      { notice: { id: p.noticeId, version: p.version }, step: p.proposedStep, note: p.reasons.map((r) => proposalReason(r, t)).join('；') },
      {
        onSuccess: () => message.success(t('supervision.proposals.confirmed', { step: t(`supervision.step.${p.proposedStep}`) })),
        onError: (error) => {
          if (isApiError(error) && error.status === 409) message.warning(t('supervision.conflict'));
          else message.error(describeError(error, t));
          void proposals.refetch();
        },
      },
    );

  return (
    <Card
      size="small"
      className="supervision-proposals"
      title={<h2 className="supervision-panel-title">{t('supervision.proposals.title')}</h2>}
    >
      {proposals.data && (
        <Typography.Paragraph type="secondary" className="supervision-sub proposal-hint">
          {t('supervision.proposals.hint', { date: formatDate(proposals.data.asOf, locale) })}
        </Typography.Paragraph>
      )}
      {proposals.isError ? (
        <Typography.Text type="danger">{describeError(proposals.error, t)}</Typography.Text>
      ) : proposals.isPending ? (
        <Skeleton active paragraph={{ rows: 1 }} title={false} />
      ) : items.length === 0 ? (
        <Typography.Text className="proposal-empty">{t('supervision.proposals.empty')}</Typography.Text>
      ) : (
        <ul className="proposal-list">
          {items.map((p) => {
            const reason = reasonOf.get(p.noticeId) ?? p.noticeId;
            const step = t(`supervision.step.${p.proposedStep}`);
            return (
              <li key={p.noticeId} className="proposal-item">
                <div className="proposal-main">
                  <Link to={`/supervision/${p.noticeId}`} className="supervision-reason">
                    {reason}
                  </Link>
                  <span className="proposal-steps">
                    <StepTag step={p.currentStep} />
                    <span aria-hidden>→</span>
                    <StepTag step={p.proposedStep} />
                  </span>
                  <ul className="proposal-reasons">
                    {p.reasons.map((r) => (
                      <li key={r.code}>{proposalReason(r, t)}</li>
                    ))}
                  </ul>
                </div>
                <Button
                  size="small"
                  type="primary"
                  onClick={() => confirm(p)}
                  loading={escalate.isPending && escalate.variables?.notice.id === p.noticeId}
                  disabled={escalate.isPending}
                  aria-label={t('supervision.proposals.confirmLabel', { reason, step })}
                >
                  {t('supervision.proposals.confirm')}
                </Button>
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
