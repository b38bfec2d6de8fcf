import type { DeliveryStatus } from '../../../shared/enums.ts';
import { addDays } from '../../../shared/ledger-filter.ts';
import type { Dashboard } from '../../../shared/schemas/ledger.schema.ts';
import { ledgerHref } from '../ledger/ledger-url.ts';

/**
 * Where each dashboard number leads: the ledger filtered to exactly the rows it counts. The server
 * counts with the same filterLedgerRows over the same filter, so the number and the ledger agree.
 */
export function dashboardLinks(dashboard: Pick<Dashboard, 'planId' | 'asOf'>) {
  const planId = dashboard.planId ?? undefined;
  return {
    all: () => ledgerHref({ planId }),
    status: (status: DeliveryStatus) => ledgerHref({ planId, status }),
    district: (orgId: string, status?: DeliveryStatus) => ledgerHref({ planId, orgId, status }),
    lead: (leadOrgId: string, status?: DeliveryStatus) => ledgerHref({ planId, leadOrgId, status }),
    cell: (orgId: string, sectionId: string) => ledgerHref({ planId, sectionId, orgId }),
    upcoming: () => ledgerHref({ planId, dueFrom: dashboard.asOf, dueTo: addDays(dashboard.asOf, 30) }),
    overdue: () => ledgerHref({ planId, status: 'overdue' }),
  };
}
export type DashboardLinks = ReturnType<typeof dashboardLinks>;
