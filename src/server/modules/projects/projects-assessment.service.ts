/**
 * What the project library gives the assessment (issue 15): per assessed unit, its library
 * projects of the year with whether work had started, the year's investment and funds arrived by
 * a day, and when each was planned and declared complete, so 开工率, 投资完成率, 资金到位率 and
 * 按期竣工率 are scored from the assessment's frozen record like its other measures.
 */
import { chinaDate } from '../../../shared/china-date.ts';
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
  /** With `funds`: the year's planned funds over the project's sources. */
  fundsPlanned?: number;
  /** With `funds`: what the year's reports of periods ending by `asOf` say arrived for those sources. */
  fundsArrived?: number;
  /** With `completion`: the planned completion day. */
  endDate?: string;
  /** With `completion`: the declared completion day, null unless declared (in China) by `asOf`. */
  completedOn?: string | null;
}

/** Which optional facts to include: a record carries only what its scheme's rules read. */
export interface ProjectFactParts {
  /** 资金到位率: fundsPlanned, fundsArrived. */
  funds?: boolean;
  /** 按期竣工率: endDate, completedOn. */
  completion?: boolean;
}

const COMPLETED = new Set(['completed', 'accepted']);

/**
 * The library projects of `asOf`'s year owned by `orgIds`, ordered by id (deterministic, so the
 * same stored data gives the same record byte for byte). Reports count once submitted or approved,
 * for periods ending by `asOf`. A completion counts only when it was declared by `asOf` (the
 * timeline's timestamp, as a day in China): the declared day may be backdated, so a completion
 * declared after the range would otherwise change the record when it is read again.
 */
export async function listProjectAssessmentFacts(
  db: DbOrTrx,
  asOf: string,
  orgIds: readonly string[],
  parts: ProjectFactParts = {},
): Promise<ProjectAssessmentFact[]> {
  const rows = await listProjectFactRows(db, Number(asOf.slice(0, 4)), asOf, orgIds);
  // Sorted here, not by the database: PostgreSQL's collation may order the '-' of a UUID apart.
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return rows.map((r) => {
    const fact: ProjectAssessmentFact = {
      id: r.id,
      orgId: r.org_id,
      name: r.name,
      startDate: r.start_date,
      started: Number(r.started) === 1,
      annualPlan: Number(r.annual_plan),
      investedYear: Number(r.invested),
    };
    if (parts.funds) {
      fact.fundsPlanned = Number(r.funds_planned);
      fact.fundsArrived = Number(r.funds_arrived);
    }
    if (parts.completion) {
      const declared = r.completed_at !== null && COMPLETED.has(r.status) && chinaDate(new Date(r.completed_at)) <= asOf;
      fact.endDate = r.end_date;
      fact.completedOn = declared ? r.completed_on : null;
    }
    return fact;
  });
}
