import type { DeliveryStatus } from '../../../shared/enums.ts';
import { addDays } from '../../../shared/china-date.ts';
import type { Dashboard } from '../../../shared/schemas/ledger.schema.ts';
import type { EscalationStep, NoticeStatus } from '../../../shared/schemas/supervision.schema.ts';
import { ledgerHref } from '../../lib/ledger-url.ts';

/**
 * Where each dashboard number leads: the ledger filtered to exactly the rows it counts. The server
 * counts with the same filterLedgerRows over the same filter, so the number and the ledger agree.
 */
export function dashboardLinks(dashboard: Pick<Dashboard, 'planId' | 'asOf'>, tenant?: string) {
  const planId = dashboard.planId ?? undefined;
  // Seen from the province (`tenant`), a number opens that city's ledger (the ledger API takes the same param).
  const href = (filter: Parameters<typeof ledgerHref>[0]) => {
    const base = ledgerHref(filter);
    return tenant ? `${base}${base.includes('?') ? '&' : '?'}${new URLSearchParams({ tenant })}` : base;
  };
  return {
    all: () => href({ planId }),
    status: (status: DeliveryStatus) => href({ planId, status }),
    district: (orgId: string, status?: DeliveryStatus) => href({ planId, orgId, status }),
    lead: (leadOrgId: string, status?: DeliveryStatus) => href({ planId, leadOrgId, status }),
    cell: (orgId: string, sectionId: string) => href({ planId, sectionId, orgId }),
    upcoming: () => href({ planId, dueFrom: dashboard.asOf, dueTo: addDays(dashboard.asOf, 30) }),
    overdue: () => href({ planId, status: 'overdue' }),
  };
}
export type DashboardLinks = ReturnType<typeof dashboardLinks>;

/** The review queue narrowed to one organisation's reports in one period of one plan. */
export function reviewHref(period: { planId: string; id: string }, orgId: string): string {
  return `/reviews?${new URLSearchParams({ planId: period.planId, periodId: period.id, orgId })}`;
}

/**
 * The supervision list behind a dashboard count: by notice status, the overdue ones (not closed,
 * past due), or the not-closed ones on a rung of the ladder ('none': not escalated yet), exactly
 * the notices the server counted.
 */
export function supervisionHref(filter: { status: NoticeStatus } | { overdue: true } | { step: EscalationStep | 'none' }): string {
  if ('overdue' in filter) return '/supervision?overdue=1';
  if ('step' in filter) return `/supervision?${new URLSearchParams({ step: filter.step, active: '1' })}`;
  return `/supervision?${new URLSearchParams(filter)}`;
}
