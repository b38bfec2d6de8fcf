import { describe, expect, it } from 'vitest';
import { parseLedgerFilter } from './ledger-url.ts';

describe('parseLedgerFilter dates', () => {
  it('keeps real days and drops what the API would refuse, as the API does (2018-02-30, 2018-13-01, 0000-00-00)', () => {
    expect(parseLedgerFilter(new URLSearchParams('dueFrom=2020-02-29&dueTo=2018-12-31'))).toEqual({ dueFrom: '2020-02-29', dueTo: '2018-12-31' });
    for (const bad of ['2018-02-30', '2018-13-01', '0000-00-00', '2019-02-29', '2018-6-30']) {
      expect(parseLedgerFilter(new URLSearchParams({ dueFrom: bad, dueTo: bad, status: 'overdue' })), bad).toEqual({ status: 'overdue' });
    }
  });
});
