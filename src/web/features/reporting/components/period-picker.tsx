import { Select, Tag } from 'antd';
import { useEffect, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { PeriodStatus, ReportingPeriod } from '../../../../shared/schemas/reporting.schema.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { usePlans } from '../../../lib/api/plans.api.ts';
import { usePeriods } from '../api/reporting.api.ts';

const PERIOD_COLOURS: Record<PeriodStatus, string> = { pending: 'default', open: 'blue', closed: 'green' };

export function PeriodStatusTag({ status }: { status: PeriodStatus }) {
  const { t } = useI18n();
  return <Tag color={PERIOD_COLOURS[status]}>{t(`reporting.periodStatus.${status}`)}</Tag>;
}

/** The period a page should show by default: the open one (latest if several), else the latest. */
export function defaultPeriod(periods: ReportingPeriod[]): ReportingPeriod | undefined {
  const open = periods.filter((p) => p.status === 'open');
  return open.at(-1) ?? periods.at(-1);
}

/**
 * Plan and period as URL state (`?planId=&periodId=`), so a link or reload keeps the choice.
 * Defaults: the first active plan, then its open period.
 */
export function usePlanPeriod({ defaultToPeriod = true }: { defaultToPeriod?: boolean } = {}) {
  const [params, setParams] = useSearchParams();
  const plans = usePlans();
  const planList = useMemo(() => (plans.data?.items ?? []).filter((p) => p.status === 'active'), [plans.data]);
  const planId = params.get('planId') ?? planList[0]?.id;
  const periods = usePeriods(planId);
  const periodList = periods.data?.items ?? [];
  const fromUrl = params.get('periodId');
  const period =
    (fromUrl ? periodList.find((p) => p.id === fromUrl) : undefined) ?? (defaultToPeriod ? defaultPeriod(periodList) : undefined);

  // Keep the URL honest when the chosen period disappears (another plan picked).
  useEffect(() => {
    if (fromUrl && periods.data && !periodList.some((p) => p.id === fromUrl)) {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          next.delete('periodId');
          return next;
        },
        { replace: true },
      );
    }
  }, [fromUrl, periods.data, periodList, setParams]);

  const setPlanId = (id: string) => setParams({ planId: id }, { replace: true });
  const setPeriodId = (id: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (planId) next.set('planId', planId);
        next.set('periodId', id);
        return next;
      },
      { replace: true },
    );

  return { plans, planList, planId, setPlanId, periods, periodList, period, setPeriodId };
}

type PlanPeriod = ReturnType<typeof usePlanPeriod>;

export function PlanSelect({ state }: { state: PlanPeriod }) {
  const { t } = useI18n();
  return (
    <Select
      className="reporting-plan-select"
      aria-label={t('reporting.plan')}
      value={state.planId}
      loading={state.plans.isPending}
      onChange={state.setPlanId}
      options={state.planList.map((p) => ({ value: p.id, label: p.title }))}
      popupMatchSelectWidth={false}
    />
  );
}

export function PeriodSelect({ state }: { state: PlanPeriod }) {
  const { t } = useI18n();
  return (
    <Select
      className="reporting-period-select"
      aria-label={t('reporting.period')}
      value={state.period?.id}
      loading={state.periods.isPending && Boolean(state.planId)}
      onChange={state.setPeriodId}
      options={state.periodList.map((p) => ({
        value: p.id,
        label: `${p.label} · ${t(`reporting.periodStatus.${p.status}`)}`,
      }))}
      popupMatchSelectWidth={false}
    />
  );
}
