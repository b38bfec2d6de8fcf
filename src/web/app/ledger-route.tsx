import { LedgerPage } from '../features/ledger/components/ledger-page.tsx';
import { IssueNoticeDialog } from '../features/supervision/components/issue-notice-dialog.tsx';

/**
 * /ledger: the ledger feature's page with the supervision feature's 督办 dialog. Features import no
 * other feature, so the app composes the two here (loaded lazily by the router).
 */
export function LedgerRoute() {
  return <LedgerPage superviseDialog={IssueNoticeDialog} />;
}
