import type { Actor } from '../../core/actor.ts';
import { cachedPerPlan } from '../../core/read-cache.ts';
import type { DbOrTrx } from '../../db/database.ts';
import type { LedgerRow } from '../../../shared/schemas/ledger.schema.ts';
import {
  buildPlanLedgerRows,
  type Ledger,
  type PlanLedgerParts,
  type PlanLedgerRow,
  type SectionInfo,
  sortLedgerRows,
  viewLedgerRow,
} from './ledger.service.ts';

/**
 * Each plan's ledger rows kept between requests (ADR 0009): the rows buildLedger makes for a plan,
 * before the reader and the day are applied (their latest 进展情况 included), reused while nothing
 * was written to that plan or to the installation (core/read-cache.ts cachedPerPlan, the audit
 * heads as the stamp, ADR 0008). The ledger page, the export and both dashboards read these; a
 * write rebuilds the one plan it touched, with the set-based queries of buildPlanLedgerRows.
 * test/ledger-rows-maintained.test.ts holds them equal to rows built from scratch after every
 * kind of write.
 */

/** One plan's rows for nobody in particular, in ledger order (seq, unit name), and its sections. */
export interface PlanLedger {
  planId: string;
  rows: PlanLedgerRow[];
  sections: Map<string, SectionInfo>;
  orgs: Ledger['orgs'];
  /** Each task of the plan once, in seq order: the province dashboard counts tasks, not rows. */
  tasks: PlanLedgerParts['tasks'];
}

/** The ledgers of `plans` (already authorised), by plan id; built for the plans whose cached value is missing or stale. */
export async function readPlanLedgers(db: DbOrTrx, plans: readonly { id: string; title: string }[]): Promise<Map<string, PlanLedger>> {
  return cachedPerPlan(
    db,
    'ledger-rows',
    plans.map((p) => p.id),
    async (missing) => {
      const wanted = new Set(missing);
      const parts = await buildPlanLedgerRows(
        db,
        plans.filter((p) => wanted.has(p.id)),
      );
      const byPlan = new Map<string, PlanLedger>(
        missing.map((id) => [id, { planId: id, rows: [], sections: new Map(), orgs: parts.orgs, tasks: [] }]),
      );
      for (const s of parts.sections.values()) byPlan.get(s.planId)?.sections.set(s.id, s);
      for (const row of parts.rows) byPlan.get(row.planId)?.rows.push(row);
      for (const task of parts.tasks) byPlan.get(task.planId)?.tasks.push(task);
      for (const ledger of byPlan.values()) sortLedgerRows(ledger.rows, new Map([[ledger.planId, 0]]), false);
      return byPlan;
    },
  );
}

/**
 * The ledger of `plans` for `actor` on `asOf`, as buildLedger makes it (same rows, same order: the
 * actor's own rows first for lead and unit users, then plan, seq, unit name), from the cached plans.
 */
export async function cachedLedger(
  db: DbOrTrx,
  actor: Actor,
  plans: readonly { id: string; title: string }[],
  asOf: string,
  /** Own rows first: by default for lead and unit users, as buildLedger; the export keeps document order. */
  mineFirst: boolean = actor.role === 'lead' || actor.role === 'unit',
): Promise<Ledger> {
  const ledgers = await readPlanLedgers(db, plans);
  const mine: LedgerRow[] = [];
  const rest: LedgerRow[] = [];
  const sections = new Map<string, SectionInfo>();
  let orgs: Ledger['orgs'] = new Map();
  for (const plan of plans) {
    const ledger = ledgers.get(plan.id);
    if (!ledger) continue;
    orgs = ledger.orgs;
    for (const [id, s] of ledger.sections) sections.set(id, s);
    // The plan's rows are in seq and name order already: own rows first is a stable partition.
    for (const row of ledger.rows) {
      const view = viewLedgerRow(row, actor, asOf);
      (mineFirst && view.isMine ? mine : rest).push(view);
    }
  }
  return { asOf, rows: mine.length === 0 ? rest : [...mine, ...rest], sections, orgs, plans: [...plans] };
}
