import type { MessageKey } from '../../../lib/i18n.ts';

/** The 任务分解表 columns in order (status last: it is pinned right); `fixed` ones cannot be hidden. */
export const LEDGER_COLUMNS = [
  { key: 'seq', title: 'ledger.col.seq', width: 52, fixed: true },
  { key: 'section', title: 'ledger.col.section', width: 120 },
  { key: 'text', title: 'ledger.col.text', width: 280, fixed: true },
  { key: 'lead', title: 'ledger.col.lead', width: 120 },
  { key: 'responsible', title: 'ledger.col.responsible', width: 140 },
  { key: 'cooperating', title: 'ledger.col.cooperating', width: 110 },
  { key: 'deadlines', title: 'ledger.col.deadlines', width: 120 },
  { key: 'targets', title: 'ledger.col.targets', width: 200 },
  { key: 'progress', title: 'ledger.col.progress', width: 140 },
  // Pinned to the right edge with the actions, so it stays in view while the table scrolls sideways.
  { key: 'status', title: 'ledger.col.status', width: 84 },
] as const satisfies readonly { key: string; title: MessageKey; width: number; fixed?: boolean }[];

export type LedgerColumnKey = (typeof LEDGER_COLUMNS)[number]['key'];

const STORAGE_KEY = 'luoshi.ledger.hiddenColumns';
const KNOWN = new Set<string>(LEDGER_COLUMNS.filter((c) => !('fixed' in c)).map((c) => c.key));

/** The columns this browser chose to hide, remembered across visits. */
export function readHiddenColumns(): LedgerColumnKey[] {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed) ? (parsed.filter((k) => typeof k === 'string' && KNOWN.has(k)) as LedgerColumnKey[]) : [];
  } catch {
    return [];
  }
}

export function writeHiddenColumns(keys: readonly LedgerColumnKey[]): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(keys));
  } catch {
    // Private mode or a full store: the choice lasts for this page only.
  }
}
