import { Card } from 'antd';
import { Link } from 'react-router';
import type { DashboardSupervision } from '../../../../shared/schemas/ledger.schema.ts';
import { ESCALATION_STEPS, type EscalationStep, type NoticeStatus } from '../../../../shared/enums.ts';
import { formatNumber, useI18n } from '../../../lib/i18n.ts';
import { supervisionHref } from '../dashboard-links.ts';

/** 提醒 → 催办 → 黄牌 → 红牌 → 约谈 → 问责 (from the zod-free enums, so this chunk does not pull in zod). */
export const LADDER = ESCALATION_STEPS;

type CountKey = 'open' | 'answered' | 'overdue' | 'closed';

/** The four counts and the list each opens (overdue notices are open ones: the list shows which are late). */
const COUNTS: { key: CountKey; status: NoticeStatus; colour: string }[] = [
  { key: 'open', status: 'open', colour: '#1f4e96' },
  { key: 'answered', status: 'answered', colour: '#d48806' },
  { key: 'overdue', status: 'open', colour: '#c4161c' },
  { key: 'closed', status: 'closed', colour: '#237804' },
];

/** 督办: notices by status, and the not-closed ones by the rung of the escalation ladder they are on. */
export function SupervisionCard({ supervision }: { supervision: DashboardSupervision }) {
  const { t, locale } = useI18n();
  const notEscalated = supervision.byStep.none ?? 0;
  return (
    <Card size="small" title={<h2 className="card-heading">{t('dashboard.supervision.title')}</h2>} className="dash-sup-card">
      <div className="dash-sup-body">
        <ul className="dash-stats dash-sup-stats">
          {COUNTS.map(({ key, status, colour }) => {
            const label = t(`dashboard.supervision.${key}`);
            const count = supervision[key];
            return (
              <li key={key} className="dash-stat" style={{ borderTopColor: colour }}>
                <span className="dash-stat-label">{label}</span>
                <Link
                  to={key === 'overdue' ? supervisionHref({ overdue: true }) : supervisionHref({ status })}
                  className={`dash-stat-value dash-sup-${key}`}
                  aria-label={t('dashboard.supervision.countLink', { label, count })}
                  data-testid={`supervision-${key}`}
                >
                  {formatNumber(count, locale)}
                </Link>
              </li>
            );
          })}
        </ul>
        <section className="dash-sup-ladder" aria-labelledby="dash-ladder-heading">
          <h3 className="dash-subheading" id="dash-ladder-heading">
            {t('dashboard.supervision.ladder')}
          </h3>
          <p className="dash-hint">{t('dashboard.supervision.ladderHint')}</p>
          <ol className="dash-ladder">
            {LADDER.map((step) => (
              <LadderStep key={step} step={step} count={supervision.byStep[step] ?? 0} />
            ))}
          </ol>
          <p className="dash-ladder-none">
            <Link to={supervisionHref({ step: 'none' })}>
              {t('dashboard.supervision.notEscalated', { count: formatNumber(notEscalated, locale) })}
            </Link>
          </p>
        </section>
      </div>
    </Card>
  );
}

function LadderStep({ step, count }: { step: EscalationStep; count: number }) {
  const { t, locale } = useI18n();
  const label = t(`dashboard.supervision.step.${step}`);
  return (
    <li className={`dash-ladder-step dash-ladder-${step}`} data-testid="escalation-step" data-step={step}>
      <span className="dash-ladder-label">{label}</span>
      <Link
        to={supervisionHref({ step })}
        className="dash-ladder-count"
        aria-label={t('dashboard.supervision.stepLink', { step: label, count })}
      >
        {formatNumber(count, locale)}
      </Link>
    </li>
  );
}
