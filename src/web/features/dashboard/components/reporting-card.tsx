import { Card, Empty } from 'antd';
import { useCallback, useMemo } from 'react';
import { Link } from 'react-router';
import type { DashboardReporting } from '../../../../shared/schemas/ledger.schema.ts';
import { formatDate, formatNumber, type TranslateParams, useI18n } from '../../../lib/i18n.ts';
import { jurisdictionWords } from '../../../lib/jurisdiction-words.ts';
import { reviewHref } from '../dashboard-links.ts';
import { formatPercent, RATE_BANDS, RATE_COLOURS, rateBand } from '../reporting-rate.ts';
import { RateBarChart } from './rate-bar-chart.tsx';

type Period = DashboardReporting['periods'][number];

/**
 * The period a district's figures are for, when there is exactly one: the dashboard plan's current
 * period (or the only period in scope). With several plans' periods mixed there is no single queue to open.
 */
export function reviewPeriod(periods: Period[], planId: string | null): Period | null {
  const own = planId ? periods.find((p) => p.planId === planId) : undefined;
  return own ?? (periods.length === 1 ? periods[0] : null);
}

/** {all}填报率: each jurisdiction's share of expected reports in, as bars and as a table of the same numbers. */
export function ReportingCard({
  reporting,
  planId,
  canReview,
  words,
}: {
  reporting: DashboardReporting;
  /** The plan's jurisdiction words ({all}: 各县区 / 各市 / 各部门); a county plan's by default. */
  words?: TranslateParams;
  planId: string | null;
  /** Admin and lead users open a district's reports in the review queue; others see the numbers only. */
  canReview: boolean;
}) {
  const { t, locale } = useI18n();
  const j = words ?? jurisdictionWords(undefined, t);
  const title = t('dashboard.reporting.title', j);
  const period = reviewPeriod(reporting.periods, planId);
  const hrefFor = useCallback((orgId: string) => (canReview && period ? reviewHref(period, orgId) : null), [canReview, period]);
  const bands = useMemo(
    () => RATE_BANDS.filter((band) => band !== 'none' || reporting.byDistrict.some((d) => rateBand(d.rate) === 'none')),
    [reporting.byDistrict],
  );
  const num = (n: number) => formatNumber(n, locale);

  if (reporting.periods.length === 0) {
    return (
      <Card size="small" title={<h2 className="card-heading">{title}</h2>} className="dash-rate-card">
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.reporting.noPeriod')} />
      </Card>
    );
  }

  const { totals } = reporting;
  return (
    <Card size="small" title={<h2 className="card-heading">{title}</h2>} className="dash-rate-card">
      <ul className="dash-rate-periods">
        {reporting.periods.map((p) => (
          <li key={p.id}>
            {t('dashboard.reporting.period', {
              label: p.label,
              status: t(`reporting.periodStatus.${p.status}`),
              due: t('dashboard.reporting.due', { date: formatDate(p.dueDate, locale) }),
            })}
          </li>
        ))}
      </ul>
      <p className="dash-rate-totals" data-testid="reporting-totals">
        <strong>{t('dashboard.reporting.totals', { submitted: num(totals.submitted), expected: num(totals.expected) })}</strong>
        <span>{t('dashboard.reporting.totalRate', { percent: formatPercent(totals.rate) })}</span>
        <span className={totals.late > 0 ? 'dash-rate-warn' : undefined}>
          {t('dashboard.reporting.totalLate', { late: num(totals.late) })}
        </span>
        <span className={totals.returned > 0 ? 'dash-rate-warn' : undefined}>
          {t('dashboard.reporting.totalReturned', { returned: num(totals.returned) })}
        </span>
      </p>
      {reporting.byDistrict.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.noChartData')} />
      ) : (
        <>
          {canReview && period && <p className="dash-hint">{t('dashboard.reporting.chartHint', j)}</p>}
          <div className="dash-rate-body">
            <div className="dash-rate-chart">
              <RateBarChart items={reporting.byDistrict} hrefFor={hrefFor} label={t('dashboard.reporting.chartLabel', j)} />
              <ul className="dash-rate-legend" aria-label={t('dashboard.reporting.legend')}>
                {bands.map((band) => (
                  <li key={band}>
                    <span className="dash-rate-swatch" style={{ background: RATE_COLOURS[band] }} aria-hidden />
                    {t(`dashboard.reporting.band.${band}`)}
                  </li>
                ))}
              </ul>
            </div>
            <div className="dash-rate-table-wrap">
              <table className="dash-table dash-rate-table">
                <caption className="visually-hidden">{t('dashboard.reporting.tableCaption', j)}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('dashboard.reporting.col.district', j)}</th>
                    <th scope="col">{t('dashboard.reporting.col.submitted')}</th>
                    <th scope="col">{t('dashboard.reporting.col.rate')}</th>
                    <th scope="col">{t('dashboard.reporting.col.late')}</th>
                    <th scope="col">{t('dashboard.reporting.col.returned')}</th>
                  </tr>
                </thead>
                <tbody>
                  {reporting.byDistrict.map((d) => {
                    const href = hrefFor(d.org.id);
                    const percent = formatPercent(d.rate);
                    return (
                      <tr key={d.org.id} data-testid="district-rate" data-org-id={d.org.id}>
                        <th scope="row">
                          {href ? (
                            <Link
                              to={href}
                              aria-label={t('dashboard.reporting.rowLink', {
                                district: d.org.name,
                                submitted: d.submitted,
                                expected: d.expected,
                                percent,
                              })}
                            >
                              {d.org.name}
                            </Link>
                          ) : (
                            d.org.name
                          )}
                        </th>
                        <td>{`${d.submitted}/${d.expected}`}</td>
                        <td className="dash-rate-percent" style={{ color: RATE_COLOURS[rateBand(d.rate)] }}>
                          {d.rate === null ? <span title={t('dashboard.reporting.noneExpected')}>{percent}</span> : percent}
                        </td>
                        <td className={d.late > 0 ? 'dash-rate-warn' : undefined}>{num(d.late)}</td>
                        <td className={d.returned > 0 ? 'dash-rate-warn' : undefined}>{num(d.returned)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </div>
        </>
      )}
    </Card>
  );
}
