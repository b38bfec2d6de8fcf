/**
 * Who may read and change a project (issue 14, Rules): a unit its own organisation's projects
 * (edits only while 谋划 or 退回); the office (admin) everything; a lead department reads the
 * projects linked to tasks it leads; leadership reads all. Called inside the service's transaction.
 */
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';
import type { DbOrTrx } from '../../db/database.ts';
import type { ProjectsTable } from '../../db/database.types.ts';
import { LIBRARY_STATUSES, type ProjectStatus } from '../../../shared/schemas/project.schema.ts';
import { canAdministerTenant, canSeeTenant, type TenancyScope } from '../../core/tenancy.rule.ts';
import { orgIdsAdministered, orgIdsInScope, scopeOf, tenantOf } from '../organisations/organisations.service.ts';
import { listPlans } from '../plans/plans.service.ts';
import { listTasks } from '../plans/tasks.service.ts';
import { assertCanEditInstallation } from '../settings/settings.service.ts';
import type { ProjectScope } from './projects.repository.ts';

type Row = Pick<ProjectsTable, 'org_id' | 'status'>;

/** The tasks an organisation leads, over every plan (plans are few; tasks per lead are tens). */
export async function ledTaskIds(db: DbOrTrx, orgId: string): Promise<string[]> {
  const out: string[] = [];
  for (const plan of (await listPlans(db)).items) {
    for (let offset = 0; ; offset += 500) {
      const page = await listTasks(db, plan.id, { orgId, role: 'lead', limit: 500, offset }, '2000-01-01');
      out.push(...page.items.map((t) => t.id));
      if (offset + 500 >= page.total) break;
    }
  }
  return out;
}

/**
 * The projects the caller may list and read. Tenancy (docs/decisions/0006-tenancy.md, step 2b): a
 * project belongs to the tenant of its organisation, so every scope also carries the ids of the
 * organisations of the tenants the caller reads (`tenantOrgIds`; absent when no tenant is declared),
 * and the office and leadership of a city see "all" of their own city only.
 */
export async function readScope(db: DbOrTrx, actor: Actor): Promise<ProjectScope> {
  const tenantOrgIds = (await orgIdsInScope(db, await scopeOf(db, actor))) ?? undefined;
  if (actor.role === 'admin' || actor.role === 'leader') return { all: true, tenantOrgIds };
  if (actor.role === 'lead') return { taskIds: await ledTaskIds(db, actor.orgId), tenantOrgIds };
  return { orgId: actor.orgId, tenantOrgIds };
}

/** Whether a scope lists every project it may (no row rule and no tenancy filter): aggregates then skip the id list. */
export function isUnfiltered(scope: ProjectScope): boolean {
  return 'all' in scope && scope.tenantOrgIds === undefined;
}

/**
 * The organisations whose rows the caller's figures (the four rates, the funding balance) may
 * show: null when no tenant is declared (every row), else the organisations of the tenants read.
 */
export async function tenantOrgFilter(db: DbOrTrx, actor: Actor): Promise<Set<string> | null> {
  const ids = await orgIdsInScope(db, await scopeOf(db, actor));
  return ids === null ? null : new Set(ids);
}

/**
 * The organisations whose projects the caller's office acts on in bulk (年度结转): null when no
 * tenant is declared, else the organisations of the caller's own tenant — never a city's from
 * the province, which reads but does not administer them.
 */
export async function administeredOrgFilter(db: DbOrTrx, actor: Actor): Promise<Set<string> | null> {
  const ids = await orgIdsAdministered(db, await scopeOf(db, actor));
  return ids === null ? null : new Set(ids);
}

async function tenancyOfRow(db: DbOrTrx, actor: Actor, row: Row): Promise<{ scope: TenancyScope; tenant: string | null }> {
  const scope = await scopeOf(db, actor);
  // Nothing tenanted: no need to look the organisation up.
  if (scope.unrestricted) return { scope, tenant: null };
  return { scope, tenant: await tenantOf(db, row.org_id).catch(() => null) };
}

/**
 * 404 (not 403) when the caller may not read the project, so ids of other counties leak nothing.
 * A project of a tenant the caller does not read is 404 whatever the role.
 */
export async function assertCanRead(
  db: DbOrTrx,
  actor: Actor,
  row: Row,
  linkedTaskIds: readonly string[],
  mode: 'read' | 'write' = 'read',
): Promise<void> {
  const { scope, tenant } = await tenancyOfRow(db, actor, row);
  if (!canSeeTenant(scope, tenant)) throw new AppError('not_found', '未找到该项目');
  // A write needs the project's tenant to be the caller's own (see assertCanAdministerProject); decided on the same facts.
  if (mode === 'write' && !canAdministerTenant(scope, tenant)) {
    await assertRoleCanRead(db, actor, row, linkedTaskIds);
    throw new AppError('forbidden', '该项目属于其他辖区，只能查看');
  }
  await assertRoleCanRead(db, actor, row, linkedTaskIds);
}

async function assertRoleCanRead(db: DbOrTrx, actor: Actor, row: Row, linkedTaskIds: readonly string[]): Promise<void> {
  if (actor.role === 'admin' || actor.role === 'leader') return;
  if (actor.role === 'unit' && row.org_id === actor.orgId) return;
  if (actor.role === 'lead' && linkedTaskIds.length > 0) {
    const led = new Set(await ledTaskIds(db, actor.orgId));
    if (linkedTaskIds.some((id) => led.has(id))) return;
  }
  throw new AppError('not_found', '未找到该项目');
}

/**
 * Every change of a project (the unit's edits and reports, the office's review, acceptance and
 * decisions) needs the project's tenant to be the caller's own: the province reads its cities'
 * libraries but does not review them (403). Called after `assertCanRead`.
 */
export async function assertCanAdministerProject(db: DbOrTrx, actor: Actor, row: Row): Promise<void> {
  const { scope, tenant } = await tenancyOfRow(db, actor, row);
  if (!canAdministerTenant(scope, tenant)) throw new AppError('forbidden', '该项目属于其他辖区，只能查看');
}

/** A new project's organisation must belong to the caller's own tenant (else it is "unknown", as another city's ids are). */
export async function canCreateFor(db: DbOrTrx, actor: Actor, orgId: string): Promise<boolean> {
  const scope = await scopeOf(db, actor);
  if (scope.unrestricted) return true;
  const tenant = await tenantOf(db, orgId).catch(() => undefined);
  return tenant !== undefined && canAdministerTenant(scope, tenant);
}

const isOwnUnit = (actor: Actor, row: Row) => actor.role === 'unit' && row.org_id === actor.orgId;

/** Edit or submit: the owning unit (or the office) while 谋划 or 退回; once 报送 it is locked for the unit. */
export function assertCanEdit(actor: Actor, row: Row): void {
  if (!isOwnUnit(actor, row) && actor.role !== 'admin') throw new AppError('forbidden', '只有项目所属单位可以修改该项目');
  if (row.status !== 'draft' && row.status !== 'returned') {
    const inLibrary = LIBRARY_STATUSES.includes(row.status as ProjectStatus);
    throw new AppError('conflict', inLibrary ? '项目已入库，只能通过调整申请修改' : '项目已报送，等待审查，不能修改');
  }
}

/**
 * The category and funding-source lists are installation-wide, not per tenant: the province
 * compares its cities' libraries by category and source (the four rates, the funding balance),
 * which needs one set of codes. So once tenants exist only the root tenant's office changes them
 * (the settings rule); every tenant reads them.
 */
export async function assertInstallationLists(db: DbOrTrx, actor: Actor): Promise<void> {
  await assertCanEditInstallation(db, actor);
}

/** Review (入库/储备/退回), promote a reserve, accept (验收), decide change requests: the office. */
export function assertOffice(actor: Actor): void {
  if (actor.role !== 'admin') throw new AppError('forbidden', '只有市百城办可以审查项目');
}

/** Monthly reports and completion: the owning unit (the office may file for it). */
export function assertCanReport(actor: Actor, row: Row): void {
  if (!isOwnUnit(actor, row) && actor.role !== 'admin') throw new AppError('forbidden', '只有项目所属单位可以填报调度');
}

/** A change request on a library project: the owning unit or the office. */
export function assertCanRequestChange(actor: Actor, row: Row): void {
  if (!isOwnUnit(actor, row) && actor.role !== 'admin') throw new AppError('forbidden', '只有项目所属单位可以申请调整');
  if (!LIBRARY_STATUSES.includes(row.status as ProjectStatus)) throw new AppError('conflict', '项目尚未入库，请直接修改');
}

/** While the owning unit may add files: 谋划/退回 (it edits the project) and 入库/实施 (it files monthly reports). */
const UNIT_FILE_STATUSES: readonly string[] = ['draft', 'returned', 'admitted', 'in_progress'];
/** A monthly report takes photos while its unit may still change it. */
const REPORT_EDITABLE: readonly string[] = ['draft', 'returned'];

/**
 * Files on a project (附件) and photos of its monthly reports (现场照片): the office always; the
 * owning unit while it may edit the project or file its reports, and for a photo while the report
 * is a draft or returned. Called after `writableRow` (read access and the tenant are checked there).
 */
export function assertCanAddProjectFile(actor: Actor, row: Row, report: { status: string } | null): void {
  if (!isOwnUnit(actor, row) && actor.role !== 'admin') throw new AppError('forbidden', '只有项目所属单位或市百城办可以上传附件');
  if (actor.role === 'admin') return;
  if (report) {
    if (!REPORT_EDITABLE.includes(report.status)) throw new AppError('conflict', '调度报告已提交，不能再添加或删除照片');
  } else if (!UNIT_FILE_STATUSES.includes(row.status)) {
    throw new AppError('conflict', row.status === 'submitted' ? '项目已报送，等待审查，不能修改附件' : '项目已完工，不能再修改附件');
  }
}

/** Delete a file: the office, or its uploader while the unit could still add it (same rule as adding). */
export function assertCanDeleteProjectFile(
  actor: Actor,
  row: Row,
  report: { status: string } | null,
  file: { created_by: string | null },
): void {
  if (actor.role === 'admin') return;
  if (file.created_by !== actor.userId) throw new AppError('forbidden', '只有上传者或市百城办可以删除附件');
  assertCanAddProjectFile(actor, row, report);
}

/** Whether `assertCanDeleteProjectFile` passes (for the list's `canDelete`). */
export function canDeleteProjectFile(
  actor: Actor,
  row: Row,
  report: { status: string } | null,
  file: { created_by: string | null },
): boolean {
  try {
    assertCanDeleteProjectFile(actor, row, report, file);
    return true;
  } catch {
    return false;
  }
}
