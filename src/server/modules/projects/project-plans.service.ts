/**
 * The annual rolling plan (年度项目计划, issue 14 item 3): 年度结转 carries the continuing
 * projects of a year into the next with their remaining investment (a preview first; set-based,
 * audited, idempotent), and the office follows next year's intake (谋划) per county against its
 * deadline (default 11月30日 of the year before, office-editable).
 */
import type { IntakeProgress, RolloverResult } from '../../../shared/schemas/project.schema.ts';
import { todayInShanghai } from '../../../shared/china-date.ts';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';
import { appendAudit, appendAuditBatch } from '../../core/audit-log.ts';
import { newSortableId } from '../../core/ids.ts';
import { writeTx } from '../../core/transaction.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { listOrganisations } from '../organisations/organisations.service.ts';
import { assertCanEditInstallation } from '../settings/settings.service.ts';
import { administeredOrgFilter, assertOffice, tenantOrgFilter } from './projects.policy.ts';
import { applyRollover, findIntakeDeadline, intakeCounts, putIntakeDeadline, rolloverCandidates } from './projects.repository.ts';
import { wan } from './projects.service.ts';

type Candidates = Awaited<ReturnType<typeof rolloverCandidates>>;

const ownRows = (rows: Candidates, own: Set<string> | null) => (own ? rows.filter((r) => own.has(r.org_id)) : rows);

async function orgNames(db: DbOrTrx): Promise<Map<string, string>> {
  return new Map((await listOrganisations(db)).items.map((o) => [o.id, o.name]));
}

function result(fromYear: number, applied: boolean, rows: Candidates, names: Map<string, string>): RolloverResult {
  return {
    fromYear,
    toYear: fromYear + 1,
    applied,
    count: rows.length,
    remaining: rows.reduce((a, r) => a + r.remaining, 0),
    items: rows.map((r) => ({
      projectId: r.id,
      name: r.name,
      orgId: r.org_id,
      orgName: names.get(r.org_id) ?? '',
      status: r.status as RolloverResult['items'][number]['status'],
      totalInvestment: r.total_investment,
      annualPlan: r.annual_plan,
      invested: r.invested,
      remaining: r.remaining,
    })),
  };
}

/** What 年度结转 of `fromYear` would carry (office): nothing is written. */
export async function previewRollover(db: DbOrTrx, actor: Actor, fromYear: number): Promise<RolloverResult> {
  assertOffice(actor);
  const [rows, names, own] = await Promise.all([rolloverCandidates(db, fromYear), orgNames(db), administeredOrgFilter(db, actor)]);
  return result(fromYear, false, ownRows(rows, own), names);
}

/**
 * 年度结转 (office): every continuing project of `fromYear` joins the next year's plan with its
 * remaining investment as that year's 年度计划投资. Runs again as a no-op for projects already
 * carried (only the ones still to carry are picked), so it is safe to repeat.
 */
export async function rollOver(db: DbOrTrx, actor: Actor, fromYear: number, note: string): Promise<RolloverResult> {
  assertOffice(actor);
  const names = await orgNames(db);
  const rows = await writeTx(db, async (trx) => {
    // A city carries its own projects only; the province reads cities' libraries but does not change them.
    const candidates = ownRows(await rolloverCandidates(trx, fromYear), await administeredOrgFilter(trx, actor));
    if (candidates.length === 0) return candidates;
    const at = new Date().toISOString();
    await applyRollover(
      trx,
      fromYear,
      candidates,
      candidates.map((c) => ({
        id: newSortableId(),
        project_id: c.id,
        from_status: c.status,
        to_status: c.status,
        note: `年度结转：${fromYear}年续建转入${fromYear + 1}年，剩余投资${wan(c.remaining)}${note ? `（${note}）` : ''}`,
        actor_id: actor.userId,
        created_at: at,
      })),
      at,
    );
    // One event per carried project (each project's audit trail shows its 结转), written in one batch.
    await appendAuditBatch(
      trx,
      candidates.map((c) => ({
        actorId: actor.userId,
        action: 'project.rollover',
        entityType: 'project',
        entityId: c.id,
        before: { planYear: fromYear, annualPlan: c.annual_plan },
        after: { planYear: fromYear + 1, annualPlan: c.remaining, note },
      })),
    );
    return candidates;
  });
  return result(fromYear, true, rows, names);
}

/** The default 谋划 deadline of a plan year: 11月30日 of the year before. */
export const defaultIntakeDeadline = (planYear: number) => `${planYear - 1}-11-30`;

/**
 * Next year's intake per county (office and leadership: every county; a unit: its own): how many
 * projects each has drafted, submitted, had returned, admitted or reserved for `planYear`, how
 * many were carried in, and whether it is done or overdue against the deadline.
 */
export async function intakeProgress(
  db: DbOrTrx,
  actor: Actor,
  planYear: number,
  today: string = todayInShanghai(),
): Promise<IntakeProgress> {
  const [all, saved, orgs, inTenants] = await Promise.all([
    intakeCounts(db, planYear),
    findIntakeDeadline(db, planYear),
    listOrganisations(db),
    tenantOrgFilter(db, actor),
  ]);
  const deadline = saved?.deadline ?? defaultIntakeDeadline(planYear);
  // Only the counties of the tenants the caller reads (a city its own; the province every city's).
  const rows = inTenants ? all.filter((r) => inTenants.has(r.org_id)) : all;
  const counties0 = orgs.items.filter((o) => o.kind === 'jurisdiction' && (!inTenants || inTenants.has(o.id)));
  const ids = new Set([...counties0.map((o) => o.id), ...rows.map((r) => r.org_id)]);
  // The office and leadership follow every county; anyone else sees their own organisation's row.
  const visible = actor.role === 'admin' || actor.role === 'leader' ? ids : new Set([actor.orgId]);
  const name = new Map(orgs.items.map((o) => [o.id, o.name]));
  const counties = [...visible].map((orgId) => {
    const mine = rows.filter((r) => r.org_id === orgId);
    const count = (pred: (r: (typeof rows)[number]) => boolean) => mine.filter(pred).reduce((a, r) => a + r.n, 0);
    const fresh = (statuses: string[]) => count((r) => r.origin === 'plan' && statuses.includes(r.status));
    const drafting = fresh(['draft']);
    const returned = fresh(['returned']);
    const submitted = fresh(['submitted']);
    const admitted = fresh(['admitted', 'in_progress', 'completed', 'accepted']);
    const reserve = fresh(['reserve']);
    const done = drafting + returned === 0 && submitted + admitted + reserve > 0;
    return {
      orgId,
      orgName: name.get(orgId) ?? '',
      drafting,
      submitted,
      returned,
      admitted,
      reserve,
      carried: count((r) => r.origin === 'rollover'),
      newInvestment: mine.filter((r) => r.origin === 'plan').reduce((a, r) => a + r.invest, 0),
      done,
      overdue: !done && today > deadline,
    };
  });
  counties.sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.orgName.localeCompare(b.orgName, 'zh-CN'));
  return { planYear, deadline, deadlineSet: !!saved, today, counties };
}

/**
 * Sets a plan year's 谋划 deadline (office; audited). The deadline is one per installation and year,
 * like the category lists: the programme's calendar, set by the root office (the province, or a
 * single city), which every city under it follows.
 */
export async function setIntakeDeadline(db: DbOrTrx, actor: Actor, planYear: number, deadline: string): Promise<void> {
  assertOffice(actor);
  await assertCanEditInstallation(db, actor);
  if (Number(deadline.slice(0, 4)) > planYear)
    throw new AppError('validation', '谋划截止日期不能晚于计划年度', {
      errors: [{ path: 'deadline', message: '谋划截止日期不能晚于计划年度' }],
    });
  await writeTx(db, async (trx) => {
    const before = await findIntakeDeadline(trx, planYear);
    await putIntakeDeadline(trx, planYear, deadline, actor.userId, new Date().toISOString());
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'project.intake_deadline',
      entityType: 'project_intake_deadline',
      entityId: String(planYear),
      before: before ? { deadline: before.deadline } : undefined,
      after: { planYear, deadline },
    });
  });
}
