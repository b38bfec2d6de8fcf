/**
 * What the project library offers the public portal (issue 16): the library of a plan year as a
 * list of allow-listed rows, and the shipped district boundaries the public map is drawn on. The
 * publications module reads projects only through these functions; its own allow-list
 * (ProjectLibraryPayload) strips anything else again before a payload is stored.
 */
import type { PublicProject } from '../../../shared/schemas/publication.schema.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { type Boundary, loadBoundary } from './project-boundary.rule.ts';
import { listLibraryRows, listLibraryYearRows } from './projects-public.repository.ts';
import { loadProjects } from './projects.service.ts';

// Integer 元 → 万元: a shift of four decimal places; the double nearest to it prints exactly.
const toWan = (yuan: number) => yuan / 10_000;

/** The plan years whose library has at least one admitted (or later) project, newest first. */
export function listPublicLibraryYears(db: DbOrTrx): Promise<number[]> {
  return listLibraryYearRows(db);
}

/**
 * The library of `planYear` (of `orgIds`' projects) as the public may see it: admitted, in implementation, completed and
 * accepted projects, with name, county, category, 建设性质, 总投资 and annual plan in 万元, status,
 * 形象进度, completion date and location. No funding rows, owner contacts, reasons or people.
 */
export async function listPublicLibrary(
  db: DbOrTrx,
  planYear: number,
  /** The organisations whose projects it holds (one tenant's), or null for every organisation. */
  orgIds: readonly string[] | null = null,
): Promise<{ projects: PublicProject[]; totals: { count: number; totalInvestmentWan: number; annualPlanWan: number } }> {
  const projects = await loadProjects(db, await listLibraryRows(db, planYear, orgIds));
  let total = 0;
  let annual = 0;
  const rows = projects.map((p): PublicProject => {
    total += p.totalInvestment;
    annual += p.annualPlan;
    return {
      id: p.id,
      name: p.name,
      orgId: p.orgId,
      orgName: p.orgName,
      categoryName: p.categoryName,
      nature: p.nature,
      totalInvestmentWan: toWan(p.totalInvestment),
      annualPlanWan: toWan(p.annualPlan),
      status: p.status as PublicProject['status'],
      progressPct: p.progressPct,
      completedOn: p.completedOn,
      lng: p.location.lng,
      lat: p.location.lat,
      address: p.address,
    };
  });
  return { projects: rows, totals: { count: rows.length, totalInvestmentWan: toWan(total), annualPlanWan: toWan(annual) } };
}

/** The installation's district boundaries (GCJ-02 GeoJSON), as the web app's project map draws them. */
export function publicBoundary(file: string): Boundary {
  return loadBoundary(file);
}
