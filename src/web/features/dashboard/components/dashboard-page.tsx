import { Breadcrumb, Card, Empty, Select, Skeleton, Typography } from 'antd';
import { type ReactNode, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../../../shared/enums.ts';
import type { Dashboard, LedgerRow, OrgRef } from '../../../../shared/schemas/ledger.schema.ts';
import { ErrorResult } from '../../../components/error-result.tsx';
import { hasRole, useCurrentSession } from '../../../lib/session.ts';
import { formatDate, formatNumber, type TranslateParams, useI18n } from '../../../lib/i18n.ts';
import { jurisdictionWords } from '../../../lib/jurisdiction-words.ts';
import { STATUS_COLOURS } from '../../../components/status-tag.tsx';
import { usePlans } from '../../../lib/api/plans.api.ts';
import { useDashboard } from '../api/dashboard.api.ts';
import { type DashboardLinks, dashboardLinks } from '../dashboard-links.ts';
import { ReportingCard } from './reporting-card.tsx';
import { StatusBarChart } from './status-bar-chart.tsx';
import { SupervisionCard } from './supervision-card.tsx';
import './dashboard-page.css';

type Counts = Partial<Record<DeliveryStatus, number>>;
const sum = (counts: Counts) => DELIVERY_STATUSES.reduce((n, s) => n + (counts[s] ?? 0), 0);

/** A number that opens the ledger rows it counts; its name says so for screen readers and tests. */
function CountLink({ to, label, count, className }: { to: string; label: string; count: number; className?: string }) {
  const { t, locale } = useI18n();
  return (
    <Link to={to} className={className} aria-label={t('dashboard.countLink', { label, count })}>
      {formatNumber(count, locale)}
    </Link>
  );
}

function StatusCards({
  title,
  counts,
  total,
  href,
  labelPrefix = '',
  extra,
}: {
  title: string;
  counts: Counts;
  total: number;
  href: DashboardLinks;
  /** Names the numbers apart when two cards count different things by the same statuses. */
  labelPrefix?: string;
  extra?: React.ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Card size="small" title={<h2 className="card-heading">{title}</h2>} extra={extra} className="dash-status-card">
      <ul className="dash-stats">
        <li className="dash-stat dash-stat-total">
          <span className="dash-stat-label">{t('dashboard.total')}</span>
          <CountLink to={href.all()} label={`${labelPrefix}${t('dashboard.total')}`} count={total} className="dash-stat-value" />
        </li>
        {DELIVERY_STATUSES.map((status) => (
          <li key={status} className="dash-stat" style={{ borderTopColor: STATUS_COLOURS[status] }}>
            <span className="dash-stat-label">{t(`status.${status}`)}</span>
            <CountLink
              to={href.status(status)}
              label={`${labelPrefix}${t(`status.${status}`)}`}
              count={counts[status] ?? 0}
              className={`dash-stat-value dash-stat-${status}`}
            />
          </li>
        ))}
      </ul>
    </Card>
  );
}

/** The chart's numbers as a table of links: keyboard and screen-reader access to every segment. */
function CountsTable({
  items,
  hrefFor,
  caption,
}: {
  items: { org: OrgRef; counts: Counts }[];
  hrefFor: (orgId: string, status?: DeliveryStatus) => string;
  caption: string;
}) {
  const { t } = useI18n();
  return (
    <details className="dash-data">
      <summary>{t('dashboard.chartData')}</summary>
      <table className="dash-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('dashboard.unitColumn')}</th>
            {DELIVERY_STATUSES.map((s) => (
              <th scope="col" key={s}>
                {t(`status.${s}`)}
              </th>
            ))}
            <th scope="col">{t('dashboard.total')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map(({ org, counts }) => (
            <tr key={org.id}>
              <th scope="row">{org.name}</th>
              {DELIVERY_STATUSES.map((s) => (
                <td key={s}>
                  {counts[s] ? <CountLink to={hrefFor(org.id, s)} label={`${org.name}${t(`status.${s}`)}`} count={counts[s] ?? 0} /> : 0}
                </td>
              ))}
              <td>
                <CountLink to={hrefFor(org.id)} label={`${org.name}${t('dashboard.total')}`} count={sum(counts)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function ChartCard({
  title,
  items,
  hrefFor,
}: {
  title: string;
  items: { org: OrgRef; counts: Counts }[];
  hrefFor: (orgId: string, status?: DeliveryStatus) => string;
}) {
  const { t } = useI18n();
  return (
    <Card size="small" title={<h2 className="card-heading">{title}</h2>} className="dash-chart-card">
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.noChartData')} />
      ) : (
        <>
          <p className="dash-hint">{t('dashboard.chartHint')}</p>
          <StatusBarChart items={items} hrefFor={hrefFor} label={title} />
          <CountsTable items={items} hrefFor={hrefFor} caption={title} />
        </>
      )}
    </Card>
  );
}

/** Five shades of the brand blue; text stays ≥ 4.5:1 on each (dark text on the light three, white on the dark two). */
const HEAT_STEPS = [
  { background: '#eef3fb', dark: false },
  { background: '#d3e0f4', dark: false },
  { background: '#a9c1e8', dark: false },
  { background: '#2f5fa8', dark: true },
  { background: '#1f4e96', dark: true },
];
const heatStep = (ratio: number) => Math.min(HEAT_STEPS.length - 1, Math.floor(ratio * HEAT_STEPS.length));

function Heatmap({ heatmap, href, words }: { heatmap: Dashboard['heatmap']; href: DashboardLinks; words: TranslateParams }) {
  const { t } = useI18n();
  const cells = new Map(heatmap.cells.map((c) => [`${c.district}:${c.section}`, c]));
  const max = Math.max(1, ...heatmap.cells.map((c) => c.rows));
  return (
    <div className="dash-heatmap-scroll">
      <table className="dash-heatmap">
        <caption className="visually-hidden">{t('dashboard.heatmap', words)}</caption>
        <thead>
          <tr>
            <th scope="col">{t('dashboard.heatmapDistrict', words)}</th>
            {heatmap.sections.map((s) => (
              <th scope="col" key={s.id} title={s.title}>
                <span className="dash-heatmap-section">{s.title}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {heatmap.districts.map((district, di) => (
            <tr key={district.id}>
              <th scope="row">{district.name}</th>
              {heatmap.sections.map((section, si) => {
                const cell = cells.get(`${di}:${si}`);
                if (!cell || cell.rows === 0) {
                  return (
                    <td key={section.id} className="dash-heat-empty">
                      ·
                    </td>
                  );
                }
                const step = heatStep(cell.rows / max);
                return (
                  <td key={section.id} style={{ background: HEAT_STEPS[step].background }}>
                    <Link
                      to={href.cell(district.id, section.id)}
                      className={HEAT_STEPS[step].dark ? 'dash-heat-link dash-heat-dark' : 'dash-heat-link'}
                      aria-label={t('dashboard.heatmapCell', {
                        district: district.name,
                        section: section.title,
                        rows: cell.rows,
                        overdue: cell.overdue,
                      })}
                    >
                      {cell.rows}
                      {cell.overdue > 0 && <span className="dash-heat-overdue">{cell.overdue}</span>}
                    </Link>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const LIST_LIMIT = 8;

function RowList({
  rows,
  empty,
  moreHref,
  kind,
  asOf,
  moreLabel,
}: {
  rows: LedgerRow[];
  empty: string;
  moreHref: string;
  moreLabel: string;
  kind: 'upcoming' | 'overdue';
  asOf: string;
}) {
  const { locale } = useI18n();
  if (rows.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} />;
  return (
    <>
      <ol className="dash-rows">
        {rows.slice(0, LIST_LIMIT).map((row) => {
          // Overdue: the first deadline missed; upcoming: the next one to come.
          const date = kind === 'overdue' ? row.deadlines[0] : (row.deadlines.find((d) => d >= asOf) ?? row.deadlines[0]);
          return (
            <li key={row.key}>
              <time dateTime={date} className={kind === 'overdue' ? 'dash-date dash-date-overdue' : 'dash-date'}>
                {formatDate(date, locale)}
              </time>
              <Link to={`/tasks/${row.taskId}`} className="dash-row-text" title={row.text}>
                {row.seq}. {row.text}
              </Link>
              <span className="dash-row-unit">{row.responsible?.name ?? row.lead.map((o) => o.name).join('、')}</span>
            </li>
          );
        })}
      </ol>
      <Link to={moreHref} className="dash-more">
        {moreLabel}
      </Link>
    </>
  );
}

function DashboardSkeleton() {
  return (
    <div className="dash-grid" aria-busy="true">
      {[0, 1, 2, 3].map((i) => (
        <Card size="small" key={i}>
          <Skeleton active paragraph={{ rows: 4 }} />
        </Card>
      ))}
    </div>
  );
}

/**
 * /dashboard — 总览: counts by status, 填报率 by district, 督办 and its escalation ladder, counts by district
 * and by lead department; every number opens its rows.
 */
export function DashboardPage({ projectCards }: { projectCards?: (asOf: string) => ReactNode } = {}) {
  const { t, locale } = useI18n();
  const [params, setParams] = useSearchParams();
  // The review queue is the programme office's and the lead departments'; others see the rates only.
  const canReview = hasRole(useCurrentSession(), 'admin', 'lead');
  const plans = usePlans();
  const activePlans = useMemo(() => (plans.data?.items ?? []).filter((p) => p.status === 'active'), [plans.data]);
  // From the province (`?tenant=<city>`): that city's active plans, or the one chosen in the ledger link.
  const tenant = params.get('tenant') ?? undefined;
  const planId = params.get('planId') ?? (tenant ? undefined : activePlans[0]?.id);
  const dashboard = useDashboard(planId, tenant);
  const scope = dashboard.data?.scope;
  const words = jurisdictionWords(activePlans.find((p) => p.id === planId)?.jurisdictionLevel, t);

  const header = (
    <>
      {scope?.drillDown && (
        <Breadcrumb
          className="dash-breadcrumb"
          items={[{ title: <Link to="/province">{t('dashboard.backToProvince')}</Link> }, { title: scope.name }]}
        />
      )}
      <div className="dash-head">
        <Typography.Title level={1} className="page-title">
          {t('dashboard.title')}
        </Typography.Title>
        {scope && (
          <Typography.Text strong className="dash-scope">
            {t('dashboard.scope', { name: scope.name })}
          </Typography.Text>
        )}
        {!tenant && activePlans.length > 1 && (
          <Select
            aria-label={t('ledger.plan')}
            className="dash-plan"
            value={planId}
            options={activePlans.map((p) => ({ value: p.id, label: p.title }))}
            onChange={(id: string) => setParams({ planId: id }, { replace: true })}
            popupMatchSelectWidth={false}
          />
        )}
        {dashboard.data && (
          <Typography.Text type="secondary" className="dash-asof">
            {t('dashboard.asOf', { date: formatDate(dashboard.data.asOf, locale) })}
          </Typography.Text>
        )}
      </div>
    </>
  );

  if (plans.isError) return <ErrorResult error={plans.error} onRetry={() => plans.refetch()} />;
  if (dashboard.isError) return <ErrorResult error={dashboard.error} onRetry={() => dashboard.refetch()} />;
  if (plans.isSuccess && !planId && !tenant) {
    return (
      <div className="dashboard-page">
        {header}
        <Empty description={t('dashboard.empty')} />
      </div>
    );
  }
  if (!dashboard.data) {
    return (
      <div className="dashboard-page">
        {header}
        <DashboardSkeleton />
      </div>
    );
  }

  const data = dashboard.data;
  const href = dashboardLinks(data, tenant);
  if (data.totals.rows === 0) {
    return (
      <div className="dashboard-page">
        {header}
        <Empty description={t('dashboard.empty')} />
      </div>
    );
  }

  return (
    <div className="dashboard-page">
      {header}
      <div className="dash-cards">
        <StatusCards
          title={t('dashboard.rowsByStatus')}
          counts={data.byStatus}
          total={data.totals.rows}
          href={href}
          extra={<span className="dash-extra">{t('dashboard.tasks', { count: data.totals.tasks })}</span>}
        />
        <StatusCards
          title={t('dashboard.targetsByStatus')}
          counts={data.targetsByStatus}
          // Counted per ledger row (a city-wide target counts once in each of its rows), so the total
          // is the sum of the statuses; the number of distinct targets is stated beside the title.
          total={sum(data.targetsByStatus)}
          href={href}
          extra={<span className="dash-extra">{t('dashboard.distinctTargets', { count: data.totals.targets })}</span>}
          labelPrefix={`${t('dashboard.targets')} · `}
        />
      </div>
      <ReportingCard reporting={data.reporting} planId={data.planId} canReview={canReview} words={words} />
      <SupervisionCard supervision={data.supervision} />
      {projectCards?.(data.asOf)}
      <div className="dash-grid">
        <ChartCard title={t('dashboard.byDistrict', words)} items={data.byDistrict} hrefFor={href.district} />
        <ChartCard title={t('dashboard.byLead')} items={data.byLead} hrefFor={href.lead} />
      </div>
      <Card size="small" title={<h2 className="card-heading">{t('dashboard.heatmap', words)}</h2>} className="dash-heat-card">
        <p className="dash-hint">{t('dashboard.heatmapHint')}</p>
        {data.heatmap.districts.length === 0 || data.heatmap.sections.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.noChartData')} />
        ) : (
          <Heatmap heatmap={data.heatmap} href={href} words={words} />
        )}
      </Card>
      <div className="dash-grid">
        <Card size="small" title={<h2 className="card-heading">{t('dashboard.upcoming')}</h2>}>
          <RowList
            rows={data.upcoming}
            empty={t('dashboard.noUpcoming')}
            moreHref={href.upcoming()}
            moreLabel={t('dashboard.openUpcoming')}
            kind="upcoming"
            asOf={data.asOf}
          />
        </Card>
        <Card size="small" title={<h2 className="card-heading">{t('dashboard.overdue')}</h2>}>
          <RowList
            rows={data.overdue}
            empty={t('dashboard.noOverdue')}
            moreHref={href.overdue()}
            moreLabel={t('dashboard.viewAll', { count: data.byStatus.overdue ?? 0 })}
            kind="overdue"
            asOf={data.asOf}
          />
        </Card>
      </div>
    </div>
  );
}
