/**
 * The project library (项目库): intake, the office's review, the life cycle with its timeline,
 * change requests (调整) on library projects, and the office's lists. Every write runs in
 * `writeTx`, checks projects.policy.ts inside it and appends an audit event.
 */
import gcoord from 'gcoord';
import type { Selectable } from 'kysely';
import type {
  ChangeRequest,
  CompleteProjectBody,
  CreateChangeRequestBody,
  CreateProjectBody,
  Project,
  ProjectActionBody,
  ProjectDetail,
  ProjectFields,
  ProjectListQuery,
  ProjectStatus,
  ReviewProjectBody,
  UpdateProjectBody,
} from '../../../shared/schemas/project.schema.ts';
import { ProjectFields as ProjectFieldsSchema } from '../../../shared/schemas/project.schema.ts';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { newSortableId } from '../../core/ids.ts';
import { writeTx } from '../../core/transaction.ts';
import type { DbOrTrx } from '../../db/database.ts';
import type { ProjectsTable } from '../../db/database.types.ts';
import { listOrganisations } from '../organisations/organisations.service.ts';
import { assertCanReadTask } from '../plans/plans.policy.ts';
import { getTarget } from '../plans/targets.service.ts';
import { assertTaskExists } from '../plans/tasks.service.ts';
import { getUser } from '../users/users.service.ts';
import { type Boundary, districtOf } from './project-boundary.rule.ts';
import {
  assertCanEdit,
  assertCanRead,
  assertCanRequestChange,
  assertCanReport,
  assertInstallationLists,
  assertOffice,
  canCreateFor,
  readScope,
} from './projects.policy.ts';
import {
  countProjectRows,
  decideChangeRequestRow,
  findChangeRequestRow,
  findProjectRow,
  insertChangeRequestRow,
  insertProjectRow,
  insertTransitionRow,
  type ListTable,
  listChangeRequestRows,
  listListRows,
  listProjectPageRows,
  listProjectsWithChildren,
  listTaskLinks,
  type ProjectChildColumns,
  listTransitionRows,
  replaceFundingRows,
  replaceTargetLinks,
  replaceTaskLinks,
  syncYearPlan,
  updateProjectIfVersion,
  upsertListRow,
} from './projects.repository.ts';

type ProjectRow = Selectable<ProjectsTable>;
const now = () => new Date().toISOString();

/** 万元 with up to four decimals, for messages (the API itself speaks integer 元). */
export function wan(yuan: number): string {
  return `${(yuan / 10_000).toLocaleString('zh-CN', { maximumFractionDigits: 4 })}万元`;
}

// ---- the office's lists ----
const LIST_TABLE: Record<'categories' | 'funding-sources', ListTable> = {
  categories: 'project_categories',
  'funding-sources': 'project_funding_sources',
};

/** Categories and funding sources, as the office keeps them. */
export async function getLists(db: DbOrTrx) {
  const [categories, fundingSources] = await Promise.all([
    listListRows(db, 'project_categories'),
    listListRows(db, 'project_funding_sources'),
  ]);
  return { categories, fundingSources };
}

/** Adds or renames one entry of a list (office). */
export async function putListItem(
  db: DbOrTrx,
  actor: Actor,
  kind: 'categories' | 'funding-sources',
  item: { code: string; name: string; seq: number },
) {
  assertOffice(actor);
  return writeTx(db, async (trx) => {
    await assertInstallationLists(trx, actor);
    await upsertListRow(trx, LIST_TABLE[kind], item);
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'project_list.put',
      entityType: LIST_TABLE[kind],
      entityId: item.code,
      after: item,
    });
    return getLists(trx);
  });
}

// ---- validation ----
interface FieldError {
  path: string;
  message: string;
}

/** The point in GCJ-02 (ADR 0007), rounded to 1e-6° (≈ 0.1 m). */
export function toGcj02(loc: { lng: number; lat: number; datum: 'GCJ02' | 'WGS84' | 'BD09' }): { lng: number; lat: number } {
  const [lng, lat] =
    loc.datum === 'GCJ02' ? [loc.lng, loc.lat] : gcoord.transform([loc.lng, loc.lat] as [number, number], gcoord[loc.datum], gcoord.GCJ02);
  return { lng: Math.round(lng * 1e6) / 1e6, lat: Math.round(lat * 1e6) / 1e6 };
}

/**
 * The rules every project's fields obey, with a Chinese sentence per failure (all of them at
 * once, so a form or an import row shows every problem): known category and sources, funding
 * rows summing to 总投资, dates in order, the point inside the installation's boundary.
 */
export async function checkFields(db: DbOrTrx, f: ProjectFields, boundary: Boundary, actor?: Actor): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const lists = await getLists(db);
  if (!lists.categories.some((c) => c.code === f.categoryCode))
    errors.push({ path: 'categoryCode', message: `未知的项目类别：${f.categoryCode}` });
  const seen = new Set<string>();
  f.funding.forEach((row, i) => {
    if (!lists.fundingSources.some((s) => s.code === row.sourceCode))
      errors.push({ path: `funding.${i}.sourceCode`, message: `未知的资金来源：${row.sourceCode}` });
    if (seen.has(row.sourceCode)) errors.push({ path: `funding.${i}.sourceCode`, message: `资金来源重复：${row.sourceCode}` });
    seen.add(row.sourceCode);
    if (row.arrived > row.planned) errors.push({ path: `funding.${i}.arrived`, message: '到位资金不能超过该来源的计划资金' });
  });
  const sum = f.funding.reduce((a, r) => a + r.planned, 0);
  if (f.totalInvestment <= 0) errors.push({ path: 'totalInvestment', message: '总投资须大于0' });
  if (sum !== f.totalInvestment)
    errors.push({ path: 'funding', message: `资金来源合计${wan(sum)}，与总投资${wan(f.totalInvestment)}不一致` });
  if (f.annualPlan > f.totalInvestment) errors.push({ path: 'annualPlan', message: '年度计划投资不能超过总投资' });
  if (f.endDate < f.startDate) errors.push({ path: 'endDate', message: '计划完工日期不能早于开工日期' });
  const point = toGcj02(f.location);
  if (districtOf(boundary, point.lng, point.lat) === null)
    errors.push({ path: 'location', message: '项目位置不在本市行政区域内，请在地图上重新选点' });
  for (const [i, taskId] of f.taskIds.entries()) {
    try {
      await assertTaskExists(db, taskId);
      // Tenancy: a task of a plan the caller does not read is as unknown as a missing one.
      if (actor) await assertCanReadTask(db, actor, taskId);
    } catch {
      errors.push({ path: `taskIds.${i}`, message: '关联的任务不存在' });
    }
  }
  for (const [i, t] of f.targets.entries()) {
    try {
      const target = await getTarget(db, t.targetId);
      if (actor) await assertCanReadTask(db, actor, target.taskId);
    } catch {
      errors.push({ path: `targets.${i}.targetId`, message: '关联的目标不存在' });
    }
  }
  return errors;
}

async function assertFields(db: DbOrTrx, f: ProjectFields, boundary: Boundary, actor: Actor): Promise<void> {
  const errors = await checkFields(db, f, boundary, actor);
  if (errors.length > 0) throw new AppError('validation', errors.map((e) => e.message).join('；'), { errors });
}

function rowFields(f: ProjectFields) {
  const p = toGcj02(f.location);
  return {
    name: f.name,
    category_code: f.categoryCode,
    owner_name: f.ownerName,
    lng: p.lng,
    lat: p.lat,
    address: f.address,
    nature: f.nature,
    scale: f.scale,
    start_date: f.startDate,
    end_date: f.endDate,
    total_investment: f.totalInvestment,
    plan_year: f.planYear,
    annual_plan: f.annualPlan,
    prep: JSON.stringify(f.prep),
  };
}

async function writeChildren(trx: DbOrTrx, projectId: string, f: ProjectFields): Promise<void> {
  await replaceFundingRows(
    trx,
    projectId,
    f.funding.map((r, i) => ({
      id: newSortableId(),
      project_id: projectId,
      source_code: r.sourceCode,
      planned: r.planned,
      arrived: r.arrived,
      seq: i + 1,
    })),
  );
  await replaceTaskLinks(trx, projectId, [...new Set(f.taskIds)]);
  const byTarget = new Map(f.targets.map((t) => [t.targetId, t]));
  await replaceTargetLinks(trx, projectId, [...byTarget.values()]);
}

// ---- reading ----
async function orgNames(db: DbOrTrx): Promise<Map<string, string>> {
  return new Map((await listOrganisations(db)).items.map((o) => [o.id, o.name]));
}

const parsed = <T>(v: unknown): T[] => (typeof v === 'string' ? (JSON.parse(v) as T[]) : ((v as T[] | null) ?? []));

/** A project row with its child columns (projects.repository.ts `childColumns`) → the DTO. */
function toProject(r: ProjectRow & ProjectChildColumns, names: Map<string, string>): Project {
  return {
    id: r.id,
    orgId: r.org_id,
    orgName: names.get(r.org_id) ?? '',
    name: r.name,
    categoryCode: r.category_code,
    categoryName: r.category_name ?? r.category_code,
    ownerName: r.owner_name,
    location: { lng: Number(r.lng), lat: Number(r.lat), datum: 'GCJ02' as const },
    address: r.address,
    nature: r.nature as Project['nature'],
    scale: r.scale,
    startDate: r.start_date,
    endDate: r.end_date,
    totalInvestment: Number(r.total_investment),
    planYear: Number(r.plan_year),
    annualPlan: Number(r.annual_plan),
    funding: parsed<[string, string, number | string, number | string]>(r.funding_json).map(
      ([sourceCode, sourceName, planned, arrived]) => ({
        sourceCode,
        sourceName,
        planned: Number(planned),
        arrived: Number(arrived),
      }),
    ),
    prep: JSON.parse(r.prep) as Project['prep'],
    taskIds: parsed<string>(r.tasks_json),
    targets: parsed<[string, number | string]>(r.targets_json).map(([targetId, contribution]) => ({
      targetId,
      contribution: Number(contribution),
    })),
    status: r.status as ProjectStatus,
    returnReason: r.return_reason,
    completedOn: r.completed_on,
    investedThisYear: Number(r.invested_year ?? 0),
    investedSinceStart: Number(r.invested_total ?? 0),
    progressPct: r.progress_pct === null || r.progress_pct === undefined ? null : Number(r.progress_pct),
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Project rows → DTOs with funding, links and derived sums: two statements (the rows' children, the organisation names) for any number. */
export async function loadProjects(db: DbOrTrx, rows: ProjectRow[]): Promise<Project[]> {
  const [names, full] = await Promise.all([
    orgNames(db),
    listProjectsWithChildren(
      db,
      rows.map((r) => r.id),
    ),
  ]);
  const byId = new Map(full.map((r) => [r.id, r]));
  return rows.flatMap((r) => {
    const f = byId.get(r.id);
    return f ? [toProject(f, names)] : [];
  });
}

/** The library page the caller may see, filtered: after the caller's scope, one statement (page, children, total) beside the organisation names. */
export async function listProjects(db: DbOrTrx, actor: Actor, query: ProjectListQuery): Promise<{ items: Project[]; total: number }> {
  const scope = await readScope(db, actor);
  const [names, rows] = await Promise.all([orgNames(db), listProjectPageRows(db, scope, query, query.limit, query.offset)]);
  // The window count rides on the rows; past the last page there is none to carry it.
  const total = rows.length > 0 ? Number(rows[0]!.total_count) : query.offset > 0 ? await countProjectRows(db, scope, query) : 0;
  return { items: rows.map((r) => toProject(r, names)), total };
}

/** One project row the caller may read, or 404 (with `mode` 'write': and whose tenant they administer, else 403). */
export async function readableRow(db: DbOrTrx, actor: Actor, id: string, mode: 'read' | 'write' = 'read'): Promise<ProjectRow> {
  const row = await findProjectRow(db, id);
  if (!row) throw new AppError('not_found', '未找到该项目');
  const links = row.org_id === actor.orgId ? [] : (await listTaskLinks(db, [id])).map((l) => l.task_id);
  await assertCanRead(db, actor, row, links, mode);
  return row;
}

/** One project with its timeline. */
export async function getProject(db: DbOrTrx, actor: Actor, id: string): Promise<ProjectDetail> {
  const row = await readableRow(db, actor, id);
  const [[project], transitions] = await Promise.all([loadProjects(db, [row]), listTransitionRows(db, id)]);
  const actorNames = new Map<string, string>();
  for (const actorId of new Set(transitions.map((t) => t.actor_id).filter((x): x is string => !!x))) {
    actorNames.set(
      actorId,
      await getUser(db, actorId).then(
        (u) => u.displayName,
        () => '',
      ),
    );
  }
  return {
    ...project,
    timeline: transitions.map((t) => ({
      from: t.from_status as ProjectStatus | null,
      to: t.to_status as ProjectStatus,
      note: t.note,
      actorId: t.actor_id,
      actorName: t.actor_id ? (actorNames.get(t.actor_id) ?? null) : null,
      at: t.created_at,
    })),
  };
}

// ---- writing ----
/** A project row the caller reads (else 404) and whose tenant they administer (else 403): every write starts here. */
export async function writableRow(trx: DbOrTrx, actor: Actor, id: string): Promise<ProjectRow> {
  return readableRow(trx, actor, id, 'write');
}

/** The office's decisions: the project as the office may see it (its own tenant's), or 404/403. */
async function lockedRow(trx: DbOrTrx, actor: Actor, id: string): Promise<ProjectRow> {
  return writableRow(trx, actor, id);
}

function assertVersion(row: ProjectRow, version: number): void {
  if (row.version !== version)
    throw new AppError('version_conflict', '项目已被他人修改，请刷新后重试', { current: { version: row.version, status: row.status } });
}

/**
 * Moves a project to `to` (with extra column changes), records the transition for the timeline
 * and appends the audit event, in the caller's transaction.
 */
export async function transition(
  trx: DbOrTrx,
  actor: Actor | null,
  row: ProjectRow,
  to: ProjectStatus,
  note: string,
  patch: Partial<Omit<ProjectRow, 'id' | 'version'>> = {},
): Promise<void> {
  const at = now();
  const changed = await updateProjectIfVersion(trx, row.id, row.version, { ...patch, status: to, updated_at: at });
  if (changed === 0) throw new AppError('version_conflict', '项目已被他人修改，请刷新后重试');
  if (patch.plan_year !== undefined || patch.annual_plan !== undefined) await syncYearPlan(trx, row.id, at);
  await insertTransitionRow(trx, {
    id: newSortableId(),
    project_id: row.id,
    from_status: row.status,
    to_status: to,
    note,
    actor_id: actor?.userId ?? null,
    created_at: at,
  });
  await appendAudit(trx, {
    actorId: actor?.userId ?? null,
    action: `project.${to}`,
    entityType: 'project',
    entityId: row.id,
    before: { status: row.status },
    after: { status: to, note, ...patch },
  });
}

/** A new project in 谋划 (draft) for the caller's organisation (the office may name another). */
export async function createProject(db: DbOrTrx, actor: Actor, body: CreateProjectBody, boundary: Boundary): Promise<ProjectDetail> {
  if (actor.role !== 'unit' && actor.role !== 'admin') throw new AppError('forbidden', '只有县区和部门填报员或市百城办可以新建项目');
  const orgId = actor.role === 'admin' && body.orgId ? body.orgId : actor.orgId;
  const id = newSortableId();
  await writeTx(db, async (trx) => {
    if (!(await orgNames(trx)).has(orgId) || !(await canCreateFor(trx, actor, orgId)))
      throw new AppError('validation', '单位不存在', { errors: [{ path: 'orgId', message: '单位不存在' }] });
    await assertFields(trx, body, boundary, actor);
    const at = now();
    await insertProjectRow(trx, {
      id,
      org_id: orgId,
      ...rowFields(body),
      status: 'draft',
      version: 1,
      created_by: actor.userId,
      created_at: at,
      updated_at: at,
    });
    await writeChildren(trx, id, body);
    await syncYearPlan(trx, id, at);
    await insertTransitionRow(trx, {
      id: newSortableId(),
      project_id: id,
      from_status: null,
      to_status: 'draft',
      note: '',
      actor_id: actor.userId,
      created_at: at,
    });
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'project.create',
      entityType: 'project',
      entityId: id,
      after: { orgId, ...body },
    });
  });
  return getProject(db, actor, id);
}

/** Edits a draft or returned project (the owning unit, or the office). */
export async function updateProject(
  db: DbOrTrx,
  actor: Actor,
  id: string,
  body: UpdateProjectBody,
  boundary: Boundary,
): Promise<ProjectDetail> {
  await writeTx(db, async (trx) => {
    const row = await writableRow(trx, actor, id);
    assertCanEdit(actor, row);
    assertVersion(row, body.version);
    await assertFields(trx, body, boundary, actor);
    const changed = await updateProjectIfVersion(trx, id, body.version, { ...rowFields(body), updated_at: now() });
    if (changed === 0) throw new AppError('version_conflict', '项目已被他人修改，请刷新后重试');
    await writeChildren(trx, id, body);
    await syncYearPlan(trx, id, now());
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'project.update',
      entityType: 'project',
      entityId: id,
      before: { version: row.version },
      after: body,
    });
  });
  return getProject(db, actor, id);
}

/** 报送: draft or returned → submitted; then locked for the unit until the office decides. */
export async function submitProject(db: DbOrTrx, actor: Actor, id: string, body: ProjectActionBody): Promise<ProjectDetail> {
  await writeTx(db, async (trx) => {
    const row = await writableRow(trx, actor, id);
    assertCanEdit(actor, row);
    assertVersion(row, body.version);
    await transition(trx, actor, row, 'submitted', body.note);
  });
  return getProject(db, actor, id);
}

/** The office's 审查 of a submitted project: 入库 (this year), 储备 (a later year) or 退回 with reasons. */
export async function reviewProject(db: DbOrTrx, actor: Actor, id: string, body: ReviewProjectBody): Promise<ProjectDetail> {
  await writeTx(db, async (trx) => {
    assertOffice(actor);
    const row = await lockedRow(trx, actor, id);
    assertVersion(row, body.version);
    if (row.status !== 'submitted') throw new AppError('conflict', '只有已报送的项目可以审查');
    if (body.decision === 'return') {
      if (!body.note.trim()) throw new AppError('validation', '退回须说明理由', { errors: [{ path: 'note', message: '退回须说明理由' }] });
      await transition(trx, actor, row, 'returned', body.note, { return_reason: body.note });
    } else if (body.decision === 'admit') {
      await transition(trx, actor, row, 'admitted', body.note, {
        return_reason: null,
        ...(body.planYear ? { plan_year: body.planYear } : {}),
      });
    } else {
      await transition(trx, actor, row, 'reserve', body.note, {
        return_reason: null,
        ...(body.planYear ? { plan_year: body.planYear } : {}),
      });
    }
  });
  return getProject(db, actor, id);
}

/** Promotes a reserve project into a year's plan (入库). */
export async function promoteProject(
  db: DbOrTrx,
  actor: Actor,
  id: string,
  body: { version: number; planYear: number; note: string },
): Promise<ProjectDetail> {
  await writeTx(db, async (trx) => {
    assertOffice(actor);
    const row = await lockedRow(trx, actor, id);
    assertVersion(row, body.version);
    if (row.status !== 'reserve') throw new AppError('conflict', '只有储备项目可以转入年度计划');
    await transition(trx, actor, row, 'admitted', body.note, { plan_year: body.planYear });
  });
  return getProject(db, actor, id);
}

/** 完工: in implementation → completed, on the day given (the owning unit or the office). */
export async function completeProject(db: DbOrTrx, actor: Actor, id: string, body: CompleteProjectBody): Promise<ProjectDetail> {
  await writeTx(db, async (trx) => {
    const row = await writableRow(trx, actor, id);
    assertCanReport(actor, row);
    assertVersion(row, body.version);
    if (row.status !== 'in_progress') throw new AppError('conflict', '只有实施中的项目可以申报完工');
    if (body.completedOn < row.start_date)
      throw new AppError('validation', '完工日期不能早于开工日期', {
        errors: [{ path: 'completedOn', message: '完工日期不能早于开工日期' }],
      });
    await transition(trx, actor, row, 'completed', body.note, { completed_on: body.completedOn });
  });
  return getProject(db, actor, id);
}

/** 验收: completed → accepted (the office). */
export async function acceptProject(db: DbOrTrx, actor: Actor, id: string, body: ProjectActionBody): Promise<ProjectDetail> {
  await writeTx(db, async (trx) => {
    assertOffice(actor);
    const row = await lockedRow(trx, actor, id);
    assertVersion(row, body.version);
    if (row.status !== 'completed') throw new AppError('conflict', '只有已完工的项目可以验收');
    await transition(trx, actor, row, 'accepted', body.note);
  });
  return getProject(db, actor, id);
}

// ---- change requests (调整) ----
function toChangeRequest(r: Awaited<ReturnType<typeof findChangeRequestRow>> & {}): ChangeRequest {
  return {
    id: r.id,
    projectId: r.project_id,
    what: r.what,
    why: r.why,
    patch: JSON.parse(r.patch) as Record<string, unknown>,
    status: r.status as ChangeRequest['status'],
    decisionNote: r.decision_note,
    requestedBy: r.requested_by,
    decidedBy: r.decided_by,
    createdAt: r.created_at,
    decidedAt: r.decided_at,
  };
}

/** The current fields of a project, as a body a patch applies to. */
function fieldsOf(p: Project): ProjectFields {
  return {
    name: p.name,
    categoryCode: p.categoryCode,
    ownerName: p.ownerName,
    location: { ...p.location, datum: 'GCJ02' },
    address: p.address,
    nature: p.nature,
    scale: p.scale,
    startDate: p.startDate,
    endDate: p.endDate,
    totalInvestment: p.totalInvestment,
    planYear: p.planYear,
    annualPlan: p.annualPlan,
    funding: p.funding.map((f) => ({ sourceCode: f.sourceCode, planned: f.planned, arrived: f.arrived })),
    prep: p.prep,
    taskIds: p.taskIds,
    targets: p.targets,
  };
}

/** The project's fields with a patch applied, or 400 when the result is not a project. */
function patched(current: Project, patch: unknown): ProjectFields {
  const parsed = ProjectFieldsSchema.safeParse({ ...fieldsOf(current), ...(patch as object) });
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new AppError('validation', errors.map((e) => e.message).join('；'), { errors });
  }
  return parsed.data;
}

/** Files a change request on a library project; the patch is checked against the rules now and again on approval. */
export async function createChangeRequest(
  db: DbOrTrx,
  actor: Actor,
  projectId: string,
  body: CreateChangeRequestBody,
  boundary: Boundary,
): Promise<ChangeRequest> {
  const id = newSortableId();
  await writeTx(db, async (trx) => {
    const row = await writableRow(trx, actor, projectId);
    assertCanRequestChange(actor, row);
    const [current] = await loadProjects(trx, [row]);
    if (Object.keys(body.patch).length === 0)
      throw new AppError('validation', '调整申请须至少包含一项修改', {
        errors: [{ path: 'patch', message: '调整申请须至少包含一项修改' }],
      });
    await assertFields(trx, patched(current, body.patch), boundary, actor);
    await insertChangeRequestRow(trx, {
      id,
      project_id: projectId,
      what: body.what,
      why: body.why,
      patch: JSON.stringify(body.patch),
      status: 'pending',
      requested_by: actor.userId,
      created_at: now(),
    });
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'project.change_request',
      entityType: 'project_change_request',
      entityId: id,
      after: { projectId, ...body },
    });
  });
  return toChangeRequest((await findChangeRequestRow(db, id))!);
}

/** A project's change requests (whoever may read the project). */
export async function listChangeRequests(db: DbOrTrx, actor: Actor, projectId: string): Promise<{ items: ChangeRequest[] }> {
  await readableRow(db, actor, projectId);
  return { items: (await listChangeRequestRows(db, { projectId })).map(toChangeRequest) };
}

/** Pending change requests over the library (office queue). */
export async function listPendingChangeRequests(db: DbOrTrx, actor: Actor): Promise<{ items: ChangeRequest[] }> {
  assertOffice(actor);
  const { tenantOrgIds } = await readScope(db, actor);
  return { items: (await listChangeRequestRows(db, { status: 'pending', tenantOrgIds })).map(toChangeRequest) };
}

/** The office approves (the patch is applied, validated again) or rejects a change request. */
export async function decideChangeRequest(
  db: DbOrTrx,
  actor: Actor,
  id: string,
  body: { decision: 'approve' | 'reject'; note: string },
  boundary: Boundary,
): Promise<ChangeRequest> {
  await writeTx(db, async (trx) => {
    assertOffice(actor);
    const cr = await findChangeRequestRow(trx, id);
    if (!cr) throw new AppError('not_found', '未找到该调整申请');
    // Another tenant's request is as unknown as its project (404); the province's view of a city's is 403.
    await lockedRow(trx, actor, cr.project_id).catch((err: unknown) => {
      throw err instanceof AppError && err.code === 'not_found' ? new AppError('not_found', '未找到该调整申请') : err;
    });
    if (cr.status !== 'pending') throw new AppError('conflict', '该调整申请已处理');
    const at = now();
    if (body.decision === 'approve') {
      const row = await lockedRow(trx, actor, cr.project_id);
      const [current] = await loadProjects(trx, [row]);
      const next = patched(current, JSON.parse(cr.patch));
      await assertFields(trx, next, boundary, actor);
      const changed = await updateProjectIfVersion(trx, row.id, row.version, { ...rowFields(next), updated_at: at });
      if (changed === 0) throw new AppError('version_conflict', '项目已被他人修改，请刷新后重试');
      await writeChildren(trx, row.id, next);
      await syncYearPlan(trx, row.id, at);
      await insertTransitionRow(trx, {
        id: newSortableId(),
        project_id: row.id,
        from_status: row.status,
        to_status: row.status,
        note: `调整：${cr.what}`,
        actor_id: actor.userId,
        created_at: at,
      });
      await appendAudit(trx, {
        actorId: actor.userId,
        action: 'project.adjust',
        entityType: 'project',
        entityId: row.id,
        before: fieldsOf(current),
        after: next,
      });
    }
    const done = await decideChangeRequestRow(trx, id, {
      status: body.decision === 'approve' ? 'approved' : 'rejected',
      decision_note: body.note,
      decided_by: actor.userId,
      decided_at: at,
    });
    if (done === 0) throw new AppError('conflict', '该调整申请已处理');
    await appendAudit(trx, {
      actorId: actor.userId,
      action: `project.change_request.${body.decision}`,
      entityType: 'project_change_request',
      entityId: id,
      after: body,
    });
  });
  return toChangeRequest((await findChangeRequestRow(db, id))!);
}
