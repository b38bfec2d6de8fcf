/**
 * What the project library gives the assessment (issue 15): per assessed unit, its library
 * projects of the year with whether work had started and the year's investment by a day, so
 * 开工率 and 投资完成率 can be scored from the assessment's frozen record like its other measures.
 */
import type { DbOrTrx } from '../../db/database.ts';
import { listProjectFactRows } from './projects-public.repository.ts';

/** One library project as it stood on `asOf` (money in integer 元). */
export interface ProjectAssessmentFact {
  id: string;
  orgId: string;
  name: string;
  startDate: string;
  started: boolean;
  annualPlan: number;
  investedYear: number;
}

/**
 * The library projects of `asOf`'s year owned by `orgIds`, ordered by id (deterministic, so the
 * same stored data gives the same record byte for byte). Reports count once submitted or approved.
 */
export async function listProjectAssessmentFacts(db: DbOrTrx, asOf: string, orgIds: readonly string[]): Promise<ProjectAssessmentFact[]> {
  const rows = await listProjectFactRows(db, Number(asOf.slice(0, 4)), asOf, orgIds);
  // Sorted here, not by the database: PostgreSQL's collation may order the '-' of a UUID apart.
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return rows.map((r) => ({
    id: r.id,
    orgId: r.org_id,
    name: r.name,
    startDate: r.start_date,
    started: Number(r.started) === 1,
    annualPlan: Number(r.annual_plan),
    investedYear: Number(r.invested),
  }));
}
