import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DELIVERY_STATUSES } from './enums.ts';
import { LEDGER_FILTER_KEYS, ledgerSearch } from './ledger-filter.ts';
import { LEDGER_QUERY_MAX, LedgerExportQuery, LedgerFilter, parseLedgerFilterParams } from './schemas/ledger.schema.ts';

const ID = '00000000-0000-4000-8000-000000000001';
const parse = (search: string | Record<string, string>) => parseLedgerFilterParams(new URLSearchParams(search));

describe('LEDGER_FILTER_KEYS', () => {
  it('is the schema’s own list of names, in the schema’s order', () => {
    expect([...LEDGER_FILTER_KEYS]).toEqual(LedgerFilter.keyof().options);
  });
});

describe('parseLedgerFilterParams', () => {
  it('keeps real days and drops what the API would refuse, as the API does (2018-02-30, 2018-13-01, 0000-00-00)', () => {
    expect(parse('dueFrom=2020-02-29&dueTo=2018-12-31')).toEqual({ dueFrom: '2020-02-29', dueTo: '2018-12-31' });
    for (const bad of ['2018-02-30', '2018-13-01', '0000-00-00', '2019-02-29', '2018-6-30']) {
      expect(parse({ dueFrom: bad, dueTo: bad, status: 'overdue' }), bad).toEqual({ status: 'overdue' });
    }
  });

  it('trims, cuts q to the API’s limit, reads mine as the API does, and drops what the API would refuse', () => {
    expect(parse({ planId: ` ${ID} `, status: ' at_risk', q: '  管网  ', mine: '1' })).toEqual({
      planId: ID,
      status: 'at_risk',
      q: '管网',
      mine: true,
    });
    expect(parse({ q: 'a'.repeat(300) }).q).toBe('a'.repeat(LEDGER_QUERY_MAX));
    // A cut that would split a surrogate pair keeps the pair whole (out), not half of it.
    expect(parse({ q: `${'a'.repeat(LEDGER_QUERY_MAX - 1)}😀` }).q).toBe('a'.repeat(LEDGER_QUERY_MAX - 1));
    expect(parse({ mine: 'true' })).toEqual({ mine: true });
    expect(parse({ mine: '0' })).toEqual({});
    expect(parse({ mine: 'yes' })).toEqual({});
    expect(parse({ planId: 'not-a-uuid', orgId: '', status: 'late', q: '   ' })).toEqual({});
  });
});

// Values a link could carry: mostly the shapes the API takes (some of them not quite), padded or
// not, and anything at all.
const pad = (value: fc.Arbitrary<string>) =>
  fc.tuple(fc.constantFrom('', ' ', '\t', '\u3000'), value, fc.constantFrom('', ' ', '\n')).map(([a, v, b]) => `${a}${v}${b}`);
const day = fc
  .tuple(fc.integer({ min: 1890, max: 3010 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
  .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
const value = pad(
  fc.oneof(
    fc.uuid(),
    day,
    fc.constantFrom(...DELIVERY_STATUSES, 'late', '1', 'true', '0', 'false', 'TRUE', ''),
    fc.string({ unit: 'grapheme', maxLength: 260 }),
    // Around the q limit, where a cut can leave a trailing space or half an emoji.
    fc.array(fc.constantFrom('a', ' ', '😀', '管'), { minLength: 190, maxLength: 215 }).map((chars) => chars.join('')),
    fc.string({ unit: 'binary', maxLength: 30 }),
  ),
);
const params = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...LEDGER_FILTER_KEYS), fc.string({ maxLength: 6 })), value), { maxLength: 14 })
  .map((pairs) => new URLSearchParams(pairs));

describe('the ledger filter, both sides (property)', () => {
  it('reads any query string into a filter LedgerFilter.parse accepts unchanged', () => {
    fc.assert(
      fc.property(params, (p) => {
        const filter = parseLedgerFilterParams(p);
        expect(LedgerFilter.parse(filter)).toEqual(filter);
      }),
      { numRuns: 500 },
    );
  });

  it('reads back exactly the filter ledgerSearch wrote', () => {
    fc.assert(
      fc.property(params, (p) => {
        const filter = parseLedgerFilterParams(p);
        expect(parseLedgerFilterParams(new URLSearchParams(ledgerSearch(filter)))).toEqual(filter);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a value exactly when the API accepts it (mine=0 aside: both read it as no filter)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LEDGER_FILTER_KEYS), value, (key, raw) => {
        const v = raw.trim();
        fc.pre(v !== '' && v.length <= LEDGER_QUERY_MAX);
        const api = LedgerExportQuery.safeParse({ [key]: v });
        const kept = key in parseLedgerFilterParams(new URLSearchParams({ [key]: v }));
        expect(kept || (api.success && api.data.mine === false)).toBe(api.success);
      }),
      { numRuns: 1000 },
    );
  });
});
