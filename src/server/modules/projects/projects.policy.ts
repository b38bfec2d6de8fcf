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
import { listPlans } from '../plans/plans.service.ts';
import { listTasks } from '../plans/tasks.service.ts';
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

/** The projects the caller may list and read. */
export async function readScope(db: DbOrTrx, actor: Actor): Promise<ProjectScope> {
  if (actor.role === 'admin' || actor.role === 'leader') return { all: true };
  if (actor.role === 'lead') return { taskIds: await ledTaskIds(db, actor.orgId) };
  return { orgId: actor.orgId };
}

/** 404 (not 403) when the caller may not read the project, so ids of other counties leak nothing. */
export async function assertCanRead(db: DbOrTrx, actor: Actor, row: Row, linkedTaskIds: readonly string[]): Promise<void> {
  if (actor.role === 'admin' || actor.role === 'leader') return;
  if (actor.role === 'unit' && row.org_id === actor.orgId) return;
  if (actor.role === 'lead' && linkedTaskIds.length > 0) {
    const led = new Set(await ledTaskIds(db, actor.orgId));
    if (linkedTaskIds.some((id) => led.has(id))) return;
  }
  throw new AppError('not_found', '未找到该项目');
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
