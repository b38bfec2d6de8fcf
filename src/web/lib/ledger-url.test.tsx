import { describe, expect, it } from 'vitest';
import { hasNarrowingFilter, ledgerExportHref, ledgerHref } from './ledger-url.ts';

const PLAN = '00000000-0000-4000-8000-00000000a001';

describe('ledger links', () => {
  it('write the API’s filter names in a stable order, mine as 1, nothing for an empty filter', () => {
    expect(ledgerHref({})).toBe('/ledger');
    expect(ledgerHref({ q: '管网', status: 'overdue', planId: PLAN, mine: true })).toBe(
      `/ledger?planId=${PLAN}&status=overdue&q=%E7%AE%A1%E7%BD%91&mine=1`,
    );
    expect(ledgerExportHref({ planId: PLAN, mine: false }, '2018-06-20')).toBe(`/api/ledger/export.xlsx?planId=${PLAN}&asOf=2018-06-20`);
  });

  it('count as narrowing only what the link would carry, and never the plan alone', () => {
    expect(hasNarrowingFilter({ planId: PLAN })).toBe(false);
    expect(hasNarrowingFilter({ planId: PLAN, mine: false, q: '' })).toBe(false);
    expect(hasNarrowingFilter({ planId: PLAN, status: 'done' })).toBe(true);
  });
});
