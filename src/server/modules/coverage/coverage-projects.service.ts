/**
 * Suggested sites → draft projects (转为项目储备): the office picks sites of a suggestion and each
 * becomes a 谋划 project in the project library, through the projects module's service (coverage
 * → projects; projects never imports coverage, so there is no cycle). The projects service owns
 * every rule of a project; this file only fills a draft's fields from the site.
 *
 * A draft cannot carry 0 元: projects' checkFields needs 总投资 > 0 and funding rows summing to it.
 * The smallest valid shape is 1 元 total, one 县级财政 row of 1 元 planned (0 arrived), 0 annual
 * plan: the unit replaces it with the real figures before 报送.
 */
import type { z } from 'zod';
import { locateInAreas } from '../../../coverage/area-locator.ts';
import { CANONICAL_DATUM } from '../../../coverage/coverage.types.ts';
import { todayInShanghai } from '../../../shared/china-date.ts';
import type { AcceptSitesBody, AcceptSitesResult, CoverageStandard } from '../../../shared/schemas/coverage.schema.ts';
import type { DbOrTrx } from '../../db/database.ts';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { writeTx } from '../../core/transaction.ts';
import { listOrganisations } from '../organisations/organisations.service.ts';
import type { Boundary } from '../projects/project-boundary.rule.ts';
import { createProject, getLists } from '../projects/projects.service.ts';
import { assertCanManageCoverage, assertCoverageInScope } from './coverage.policy.ts';
import { findAnalysisRow } from './coverage.repository.ts';
import { districtBoundaries } from './district-boundaries.lookup.ts';

/** The placeholder investment of a draft made from a site (see the file comment). */
export const PLACEHOLDER_INVESTMENT = 1;
const PLACEHOLDER_SOURCE = 'county';

/** The project category of a facility kind: same name, else one name containing the other, else 其他. */
export function categoryFor(kind: string, categories: readonly { code: string; name: string }[]): string | null {
  const exact = categories.find((c) => c.name === kind);
  if (exact) return exact.code;
  const near = categories.find((c) => c.name.includes(kind) || kind.includes(c.name));
  if (near) return near.code;
  return categories.find((c) => c.code === 'other')?.code ?? null;
}

/**
 * Creates one draft project per selected site (WGS-84) of an analysis, owned by the jurisdiction
 * the site falls in (its name or an alias is the district's name). All or nothing: one site
 * outside every district, or a district without its organisation, and nothing is created.
 */
export async function acceptSuggestedSites(
  db: DbOrTrx,
  actor: Actor,
  analysisId: string,
  body: z.output<typeof AcceptSitesBody>,
  boundary: Boundary,
): Promise<AcceptSitesResult> {
  return writeTx(db, async (trx) => {
    assertCanManageCoverage(actor);
    const row = await findAnalysisRow(trx, analysisId);
    if (!row) throw new AppError('not_found', '分析不存在');
    // Draft projects from another tenant's analysis: 404 unseen, 403 seen from the province.
    await assertCoverageInScope(trx, actor, row, 'write', '分析不存在');
    const standard = JSON.parse(row.standard_json) as CoverageStandard;
    const lists = await getLists(trx);
    const categoryCode = categoryFor(standard.facilityKind, lists.categories);
    if (!categoryCode) throw new AppError('unprocessable', `项目库没有与「${standard.facilityKind}」对应的项目类别`);
    if (!lists.fundingSources.some((s) => s.code === PLACEHOLDER_SOURCE))
      throw new AppError('unprocessable', '项目库没有「县级财政」资金来源，无法生成草稿项目');
    const features = districtBoundaries().features;
    const where = locateInAreas(
      {
        datum: CANONICAL_DATUM,
        lng: Float64Array.from(body.sites, (s) => s.lng),
        lat: Float64Array.from(body.sites, (s) => s.lat),
      },
      features,
    );
    const orgs = (await listOrganisations(trx, { kind: 'jurisdiction' })).items;
    const today = todayInShanghai();
    const planYear = Number(today.slice(0, 4));
    const owners = body.sites.map((s, k) => {
      const d = where[k];
      if (d < 0 || d >= features.length)
        throw new AppError('unprocessable', `选址建议${s.seq}不在任何区县内`, {
          errors: [{ path: `sites.${k}`, message: '不在任何区县内' }],
        });
      const district = features[d].properties.name;
      const org = orgs.find((o) => o.name === district || o.aliases.includes(district));
      if (!org)
        throw new AppError('unprocessable', `没有名为「${district}」的县区单位：请先在单位管理中建立或为其添加别名`, {
          errors: [{ path: `sites.${k}`, message: `没有名为「${district}」的县区单位` }],
        });
      return { org, district };
    });
    const items: AcceptSitesResult['items'] = [];
    for (const [k, s] of body.sites.entries()) {
      const { org, district } = owners[k];
      const project = await createProject(
        trx,
        actor,
        {
          orgId: org.id,
          name: `新建${standard.facilityKind}（选址建议${s.seq}）`,
          categoryCode,
          ownerName: '',
          // The site is WGS-84 (the library's datum); the projects service stores it in GCJ-02 (gcoord).
          location: { lng: s.lng, lat: s.lat, datum: 'WGS84' },
          address: '',
          nature: 'new',
          scale: '',
          startDate: today,
          endDate: `${planYear}-12-31`,
          totalInvestment: PLACEHOLDER_INVESTMENT,
          planYear,
          annualPlan: 0,
          funding: [{ sourceCode: PLACEHOLDER_SOURCE, planned: PLACEHOLDER_INVESTMENT, arrived: 0 }],
          prep: [],
          taskIds: [],
          targets: [],
        },
        boundary,
      );
      items.push({ projectId: project.id, name: project.name, orgId: org.id, district });
    }
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'coverage_suggestion.accept',
      entityType: 'coverage_analysis',
      entityId: analysisId,
      after: { sites: body.sites, projectIds: items.map((i) => i.projectId) },
    });
    return { items };
  });
}
