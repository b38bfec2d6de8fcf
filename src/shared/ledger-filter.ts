import type { LedgerFilter, LedgerRow } from './schemas/ledger.schema.ts';

/**
 * Shared by the server (Excel export, dashboard counts) and the web ledger, so that a dashboard
 * number, the ledger it opens and the Excel file exported from it always hold the same rows.
 *
 * No runtime import of zod here: the dashboard and the task page link to the ledger (ledgerSearch)
 * and use the dates of china-date.ts, and zod is ~26 KB gzip that neither chunk otherwise loads. Reading a
 * filter from a URL needs the schema itself: parseLedgerFilterParams in schemas/ledger.schema.ts.
 */

/**
 * The names of LedgerFilter, in the order links write them. Written out rather than read from the
 * schema (LedgerFilter.keyof()) to keep zod out of the chunks above; the type check below makes a
 * key added to, or removed from, either side a compile error, and a test pins the order.
 */
export const LEDGER_FILTER_KEYS = ['planId', 'sectionId', 'leadOrgId', 'orgId', 'status', 'dueFrom', 'dueTo', 'q', 'mine'] as const;
export type LedgerFilterKey = (typeof LEDGER_FILTER_KEYS)[number];
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const keysMatchTheSchema: SameKeys<LedgerFilterKey, keyof LedgerFilter> = true;
void keysMatchTheSchema;

/**
 * The query string for a filter (no leading "?"), keys in LEDGER_FILTER_KEYS order; `mine` as 1,
 * empty and false values left out. `extra` parameters (asOf) follow.
 */
export function ledgerSearch(filter: LedgerFilter, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const key of LEDGER_FILTER_KEYS) {
    const value = filter[key];
    if (value === undefined || value === '' || value === false) continue;
    params.set(key, value === true ? '1' : String(value));
  }
  for (const [key, value] of Object.entries(extra)) if (value) params.set(key, value);
  return params.toString();
}

// The text search looks in a row's clause, section, units and targets. Building that string is
// most of the cost of filtering (10,000 rows: ~50 ms a keystroke), so it is built once per row
// object and kept while the row lives. Rows are treated as immutable: a changed row is a new object.
const haystacks = new WeakMap<LedgerRow, string>();

function haystack(row: LedgerRow): string {
  const cached = haystacks.get(row);
  if (cached !== undefined) return cached;
  const text = [
    row.text,
    row.sectionTitle ?? '',
    row.responsible?.name ?? '',
    row.viaGroup?.name ?? '',
    ...row.lead.map((o) => o.name),
    ...row.cooperating.map((o) => o.name),
    ...row.targets.map((t) => `${t.jurisdictionLabel ?? ''}${t.metric}`),
  ]
    .join('\n')
    .toLowerCase();
  haystacks.set(row, text);
  return text;
}

/** Returns a predicate for `filter`; build it once and run it over many rows. */
export function matchLedgerRow(filter: LedgerFilter): (row: LedgerRow) => boolean {
  const q = filter.q?.trim().toLowerCase();
  return (row) => {
    if (filter.planId && row.planId !== filter.planId) return false;
    if (filter.sectionId && !row.sectionIds.includes(filter.sectionId)) return false;
    if (filter.leadOrgId && !row.lead.some((o) => o.id === filter.leadOrgId)) return false;
    if (filter.orgId && row.responsible?.id !== filter.orgId) return false;
    if (filter.status && row.status !== filter.status) return false;
    if (filter.mine && !row.isMine) return false;
    if (filter.dueFrom || filter.dueTo) {
      const from = filter.dueFrom ?? '0000-01-01';
      const to = filter.dueTo ?? '9999-12-31';
      if (!row.deadlines.some((d) => d >= from && d <= to)) return false;
    }
    if (q && !haystack(row).includes(q)) return false;
    return true;
  };
}

/** Filters rows; with `mine`-first ordering the user's own rows come before the rest (stable). */
export function filterLedgerRows(rows: readonly LedgerRow[], filter: LedgerFilter): LedgerRow[] {
  return rows.filter(matchLedgerRow(filter));
}
