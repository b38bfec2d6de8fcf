/**
 * Assessment runs (考核): computed draft → 自评 per line → 核查 adjustments with reasons → 初评
 * published → 异议 per line within the window → answers → final (immutable; a correction is a
 * recorded re-issue). Every score is computed by the pure library from the frozen record stored
 * on the assessment and the office's recorded entries, so it can be recomputed byte for byte.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  type AssessmentRecord,
  type AssessmentResult,
  type OfficeInput,
  type Scheme,
  combineYearEnd,
  honourRoll,
  isProjectRule,
  scoreAssessment,
} from '../../../assessment/index.ts';
import { addDays } from '../../../shared/china-date.ts';
import type {
  Assessment,
  AssessmentScheme,
  AssessmentStage,
  CreateAssessmentBody,
  Ranking,
  ScoreSheet,
  SchemeBody,
  YearEndRanking,
} from '../../../shared/schemas/assessment.schema.ts';
import type { z } from 'zod';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { writeTx } from '../../core/transaction.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { getPlan } from '../plans/plans.service.ts';
import type { ProjectFactParts } from '../projects/projects-assessment.service.ts';
import { issueNotice } from '../supervision/supervision.service.ts';
import { readAssessmentRecord } from './assessment-record.service.ts';
import { storedRecordOf } from './record-cache.service.ts';
import {
  assertCanAdjust,
  assertCanObject,
  assertCanReadSheet,
  assertCanSelfAssess,
  assertCanAdministerAssessment,
  assertCanReadAssessment,
  assertOffice,
  assertSchemeInScope,
  assessmentViewer,
  isOversight,
  readableAssessmentPlans,
  schemesInScope,
  visibleUnitIds,
} from './assessment.policy.ts';
import {
  type AssessmentRow,
  type SchemeRow,
  answerObjectionRow,
  copyAdjustmentRows,
  decideConsequenceRow,
  copyAssessmentRecord,
  findAssessmentRecordJson,
  findAssessmentRow,
  findConsequenceRow,
  findObjectionRow,
  findSchemeRow,
  freezeScheme,
  insertAdjustmentRow,
  insertAssessmentRow,
  insertConsequenceRows,
  insertNoteRow,
  insertObjectionRow,
  insertSchemeRow,
  listAdjustmentRows,
  listAssessmentRows,
  listConsequenceRows,
  listFinalAssessmentsOfPlan,
  listLineRows,
  listNoteRows,
  listObjectionRows,
  listSchemeRows,
  listUnitRows,
  maxSchemeRevision,
  replaceResultRows,
  updateAssessmentIfVersion,
  updateSchemeIfVersion,
} from './assessment.repository.ts';

// Another tenant's row under an assessment is as unknown as a missing one (its own 404 message).
const notFoundAs =
  (message: string) =>
  (err: unknown): never => {
    throw err instanceof AppError && err.code === 'not_found' ? new AppError('not_found', message) : err;
  };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const now = () => new Date().toISOString();

// ---------------------------------------------------------------- schemes

function toScheme(r: SchemeRow): AssessmentScheme {
  return {
    id: r.id,
    familyId: r.family_id,
    name: r.name,
    revision: r.revision,
    frozen: r.frozen === 1,
    scheme: JSON.parse(r.scheme_json) as SchemeBody,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Every version of every scheme (office and leadership). */
export async function listSchemes(db: DbOrTrx, actor: Actor): Promise<{ items: AssessmentScheme[] }> {
  if (!isOversight(actor)) throw new AppError('forbidden', '只有考核办公室和领导可以查看考核方案');
  return { items: (await schemesInScope(db, actor, await listSchemeRows(db))).map(toScheme) };
}

/**
 * One scheme version (any signed-in user: a unit may read the rules it is scored by). With
 * `actor`: 404 unless the scheme is of a tenant they read or names their organisation as assessed.
 */
export async function getScheme(db: DbOrTrx, id: string, actor?: Actor): Promise<AssessmentScheme> {
  const row = await findSchemeRow(db, id);
  if (!row) throw new AppError('not_found', '考核方案不存在');
  const scheme = toScheme(row);
  if (actor && !assessedOrgIds(scheme.scheme as Scheme).includes(actor.orgId)) await assertSchemeInScope(db, actor, row, 'read');
  return scheme;
}

/** A new scheme (revision 1 of a new family). */
export async function createScheme(db: DbOrTrx, body: { name: string; scheme: SchemeBody }, actor: Actor): Promise<AssessmentScheme> {
  return writeTx(db, async (trx) => {
    assertOffice(actor);
    const id = randomUUID();
    const at = now();
    await insertSchemeRow(trx, {
      id,
      family_id: id,
      revision: 1,
      name: body.name,
      scheme_json: JSON.stringify(body.scheme),
      frozen: 0,
      created_by: actor.userId,
      version: 1,
      created_at: at,
      updated_at: at,
    });
    const after = await getScheme(trx, id);
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'assessment_scheme.create',
      entityType: 'assessment_scheme',
      entityId: id,
      after,
    });
    return after;
  });
}

/**
 * Edits a scheme. A scheme an assessment used is frozen: the edit becomes the family's next
 * revision (a new id, returned), so every assessment keeps the exact rules it was computed with.
 */
export async function updateScheme(
  db: DbOrTrx,
  id: string,
  body: { version: number; name: string; scheme: SchemeBody },
  actor: Actor,
): Promise<AssessmentScheme> {
  return writeTx(db, async (trx) => {
    assertOffice(actor);
    const row = await findSchemeRow(trx, id);
    if (!row) throw new AppError('not_found', '考核方案不存在');
    await assertSchemeInScope(trx, actor, row, 'write');
    const before = await getScheme(trx, id);
    if (before.version !== body.version) throw new AppError('version_conflict', '考核方案已被他人修改，请刷新', { current: before });
    const at = now();
    if (before.frozen) {
      const newId = randomUUID();
      const revision = (await maxSchemeRevision(trx, before.familyId)) + 1;
      await insertSchemeRow(trx, {
        id: newId,
        family_id: before.familyId,
        revision,
        name: body.name,
        scheme_json: JSON.stringify(body.scheme),
        frozen: 0,
        created_by: actor.userId,
        version: 1,
        created_at: at,
        updated_at: at,
      });
      const after = await getScheme(trx, newId);
      await appendAudit(trx, {
        actorId: actor.userId,
        action: 'assessment_scheme.revise',
        entityType: 'assessment_scheme',
        entityId: newId,
        before,
        after,
      });
      return after;
    }
    if (
      (await updateSchemeIfVersion(trx, id, body.version, {
        name: body.name,
        scheme_json: JSON.stringify(body.scheme),
        updated_at: at,
      })) === 0
    ) {
      throw new AppError('version_conflict', '考核方案已被他人修改，请刷新');
    }
    const after = await getScheme(trx, id);
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'assessment_scheme.update',
      entityType: 'assessment_scheme',
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

// ---------------------------------------------------------------- computing

const assessedOrgIds = (scheme: Scheme) => [...new Set(scheme.groups.flatMap((g) => g.orgIds))];

/** The office's recorded entries as the engine's input: the latest manual score and veto per line win. */
function officeInput(rows: Awaited<ReturnType<typeof listAdjustmentRows>>): OfficeInput {
  const manual = new Map<string, { ruleId: string; orgId: string; points: number }>();
  const vetoes = new Map<string, { vetoId: string; orgId: string; on: boolean }>();
  const adjustments: OfficeInput['adjustments'] = [];
  for (const r of rows) {
    const key = `${r.org_id}|${r.rule_id}`;
    if (r.kind === 'manual') manual.set(key, { ruleId: r.rule_id, orgId: r.org_id, points: r.delta });
    else if (r.kind === 'veto') vetoes.set(key, { vetoId: r.rule_id, orgId: r.org_id, on: r.delta !== 0 });
    else adjustments.push({ ruleId: r.rule_id, orgId: r.org_id, delta: r.delta, id: r.id });
  }
  return {
    manual: [...manual.values()],
    adjustments,
    vetoes: [...vetoes.values()].filter((v) => v.on).map(({ vetoId, orgId }) => ({ vetoId, orgId })),
  };
}

async function schemeOf(db: DbOrTrx, row: AssessmentRow): Promise<Scheme> {
  return (await getScheme(db, row.scheme_id)).scheme as Scheme;
}

async function computeResult(db: DbOrTrx, row: AssessmentRow, record: AssessmentRecord): Promise<AssessmentResult> {
  return scoreAssessment(await schemeOf(db, row), record, officeInput(await listAdjustmentRows(db, row.id)));
}

/**
 * Recomputes from the stored record and entries and stores the result (result_json and rows).
 * `record`: the record just read and stored as `row.record_json` (createAssessment), so a
 * province's record (10⁵ facts, ~45 MB of JSON) is not parsed back the moment it was written.
 */
async function recompute(trx: DbOrTrx, row: AssessmentRow, record?: AssessmentRecord): Promise<void> {
  const result = await computeResult(trx, row, await storedRecordOf(trx, row, record));
  await replaceResultRows(
    trx,
    row.id,
    result.units.map((u) => ({
      assessment_id: row.id,
      org_id: u.orgId,
      name: u.name,
      group_id: u.groupId,
      subtotal: u.subtotal,
      multiplier: u.multiplier,
      total: u.total,
      tier_id: u.tierId,
      rank: u.rank,
      vetoes_json: JSON.stringify(u.vetoes),
      categories_json: JSON.stringify(u.categories),
    })),
    result.units.flatMap((u) =>
      u.lines.map((l) => ({
        assessment_id: row.id,
        org_id: u.orgId,
        rule_id: l.ruleId,
        category_id: l.categoryId,
        label: l.label,
        count: l.count,
        computed: l.computed,
        adjustment: l.adjustment,
        points: l.points,
        event_ids: JSON.stringify(l.eventIds),
      })),
    ),
  );
  await trx
    .updateTable('assessments')
    .set({ result_json: JSON.stringify(result) })
    .where('id', '=', row.id)
    .execute();
}

// ---------------------------------------------------------------- reading

async function loadRow(db: DbOrTrx, id: string): Promise<AssessmentRow> {
  const row = await findAssessmentRow(db, id);
  if (!row) throw new AppError('not_found', '考核不存在');
  return row;
}

/**
 * The assessment as `actor` may read it, and who they are to its role rules (assessment.policy
 * `assessmentViewer`: themselves in its plan's tenant, a unit of it when only assessed by it). 404 otherwise.
 */
async function loadForRead(db: DbOrTrx, id: string, actor: Actor): Promise<{ row: AssessmentRow; viewer: Actor }> {
  const row = await loadRow(db, id);
  const viewer = await assessmentViewer(db, actor, row.plan_id, async () => (await listUnitRows(db, [id])).map((u) => u.org_id));
  return { row, viewer };
}

/** The assessment for the office's changes: 404 when `actor` does not read its tenant, 403 when they read but do not administer it. */
async function loadForWrite(db: DbOrTrx, id: string, actor: Actor): Promise<AssessmentRow> {
  const row = await loadRow(db, id);
  await assertCanAdministerAssessment(db, actor, row.plan_id);
  return row;
}

function summary(row: AssessmentRow): Omit<Assessment, 'units' | 'progress'> {
  return {
    id: row.id,
    schemeId: row.scheme_id,
    planId: row.plan_id,
    title: row.title,
    start: row.range_start,
    end: row.range_end,
    stage: row.stage as AssessmentStage,
    objectionDays: row.objection_days,
    objectionUntil: row.objection_until,
    publishedAt: row.published_at,
    finalisedAt: row.finalised_at,
    reissueOf: row.reissue_of,
    recordSha256: row.record_sha256,
    version: row.version,
    createdAt: row.created_at,
  };
}

/**
 * Every assessment (metadata only: scores are behind the sheet and ranking rules); with `actor`,
 * those of the tenants they read and those that assess their own organisation.
 */
export async function listAssessments(db: DbOrTrx, actor?: Actor): Promise<{ items: Omit<Assessment, 'units' | 'progress'>[] }> {
  const rows = await listAssessmentRows(db);
  if (!actor) return { items: rows.map(summary) };
  const readable = await readableAssessmentPlans(db, actor, [...new Set(rows.map((r) => r.plan_id))]);
  const others = rows.filter((r) => !readable.has(r.plan_id)).map((r) => r.id);
  const assessingMe = new Set(
    (others.length > 0 ? await listUnitRows(db, others) : []).filter((u) => u.org_id === actor.orgId).map((u) => u.assessment_id),
  );
  return { items: rows.filter((r) => readable.has(r.plan_id) || assessingMe.has(r.id)).map(summary) };
}

/** One assessment with the units the caller may see and each unit's 自评/核查/异议 progress. */
export async function getAssessment(db: DbOrTrx, id: string, caller: Actor): Promise<Assessment> {
  const { row, viewer: actor } = await loadForRead(db, id, caller);
  const units = await listUnitRows(db, [id]);
  const visible = new Set(
    visibleUnitIds(
      actor,
      row.stage as AssessmentStage,
      units.map((u) => u.org_id),
    ),
  );
  const progressVisible = (orgId: string) => isOversight(actor) || orgId === actor.orgId;
  const [notes, adjustments, objections] = await Promise.all([listNoteRows(db, id), listAdjustmentRows(db, id), listObjectionRows(db, id)]);
  const count = <T extends { org_id: string }>(rows: T[], orgId: string, also: (r: T) => boolean = () => true) =>
    rows.filter((r) => r.org_id === orgId && also(r)).length;
  return {
    ...summary(row),
    units: units
      .filter((u) => visible.has(u.org_id))
      .map((u) => ({
        orgId: u.org_id,
        name: u.name,
        groupId: u.group_id,
        subtotal: u.subtotal,
        multiplier: u.multiplier,
        total: u.total,
        tierId: u.tier_id,
        rank: u.rank,
        vetoes: JSON.parse(u.vetoes_json) as string[],
        categories: JSON.parse(u.categories_json),
      })),
    progress: units
      .filter((u) => progressVisible(u.org_id))
      .map((u) => ({
        orgId: u.org_id,
        name: u.name,
        notes: count(notes, u.org_id),
        adjustments: count(adjustments, u.org_id),
        objections: count(objections, u.org_id),
        answered: count(objections, u.org_id, (o) => o.answered_at !== null),
      })),
  };
}

/** A unit's score sheet: lines, the events behind them, 自评 notes, adjustments and objections. */
export async function getSheet(db: DbOrTrx, id: string, orgIdParam: string | undefined, caller: Actor): Promise<ScoreSheet> {
  const { row, viewer: actor } = await loadForRead(db, id, caller);
  const orgId = orgIdParam ?? actor.orgId;
  assertCanReadSheet(actor, orgId);
  const assessment = await getAssessment(db, id, caller);
  const unit = assessment.units.find((u) => u.orgId === orgId);
  if (!unit) throw new AppError('not_found', '该单位不在本次考核范围内');
  const record = await storedRecordOf(db, row);
  const lines = (await listLineRows(db, id, orgId)).map((l) => ({
    ruleId: l.rule_id,
    categoryId: l.category_id,
    label: l.label,
    count: l.count,
    computed: l.computed,
    adjustment: l.adjustment,
    points: l.points,
    eventIds: JSON.parse(l.event_ids) as string[],
  }));
  const scheme = await schemeOf(db, row);
  lines.sort((a, b) => scheme.rules.findIndex((r) => r.id === a.ruleId) - scheme.rules.findIndex((r) => r.id === b.ruleId));
  const used = new Set(lines.flatMap((l) => l.eventIds));
  const events: ScoreSheet['events'] = [];
  for (const f of record.reports) {
    if (!used.has(f.id)) continue;
    const what = f.reportStatus === null ? '未报送' : f.reportStatus === 'returned' ? '被退回' : f.isLate ? '迟报' : '按时报送';
    events.push({
      id: f.id,
      kind: 'report',
      periodId: f.periodId,
      taskId: f.taskId,
      targetId: f.targetId,
      noticeId: null,
      text: `${f.periodEnd} ${what}（${f.status}）`,
    });
  }
  for (const p of record.projects ?? []) {
    if (!used.has(p.id)) continue;
    const wan = (yuan: number) => `${yuan / 10_000}万元`;
    events.push({
      id: p.id,
      kind: 'project',
      periodId: null,
      taskId: null,
      targetId: null,
      noticeId: null,
      text: [
        `${p.name}：计划开工 ${p.startDate}，${p.started ? '已开工' : '未开工'}；年度计划 ${wan(p.annualPlan)}，已完成 ${wan(p.investedYear)}`,
        // The parts a record carries only with the rules that read them.
        p.fundsPlanned === undefined ? '' : `；计划资金 ${wan(p.fundsPlanned)}，已到位 ${wan(p.fundsArrived ?? 0)}`,
        p.endDate === undefined ? '' : `；计划竣工 ${p.endDate}，${p.completedOn ? `${p.completedOn} 竣工` : '未竣工'}`,
      ].join(''),
    });
  }
  for (const n of record.notices) {
    if (used.has(n.id)) {
      events.push({
        id: n.id,
        kind: 'notice',
        periodId: null,
        taskId: null,
        targetId: null,
        noticeId: n.noticeId,
        text: `督办期限 ${n.dueDate}，${n.answeredOn ? `${n.answeredOn} 回复` : '未回复'}`,
      });
    }
    for (const s of n.steps)
      if (used.has(s.id))
        events.push({
          id: s.id,
          kind: 'escalation',
          periodId: null,
          taskId: null,
          targetId: null,
          noticeId: n.noticeId,
          text: `${s.on} ${s.step}`,
        });
  }
  const [notes, adjustments, objections] = await Promise.all([
    listNoteRows(db, id, orgId),
    listAdjustmentRows(db, id, orgId),
    listObjectionRows(db, id, orgId),
  ]);
  return {
    assessmentId: id,
    stage: row.stage as AssessmentStage,
    unit,
    lines,
    events,
    notes: notes.map((n) => ({ id: n.id, ruleId: n.rule_id, text: n.text, authorId: n.author_id, at: n.created_at })),
    adjustments: adjustments.map((a) => ({
      id: a.id,
      ruleId: a.rule_id,
      kind: a.kind,
      delta: a.delta,
      reason: a.reason,
      actorId: a.actor_id,
      at: a.created_at,
    })),
    objections: objections.map((o) => ({
      id: o.id,
      ruleId: o.rule_id,
      text: o.text,
      filedBy: o.filed_by,
      filedAt: o.filed_at,
      answer: o.answer,
      outcome: o.outcome as 'upheld' | 'rejected' | null,
      answeredAt: o.answered_at,
    })),
  };
}

// ---------------------------------------------------------------- workflow

/**
 * The project facts a scheme's record carries: none without a project rule; the funds and
 * completion parts only for the rules that read them (so a record made before those rules
 * existed is read again byte for byte).
 */
function projectParts(scheme: Scheme): ProjectFactParts | false {
  if (!scheme.rules.some((r) => isProjectRule(r.kind))) return false;
  return {
    funds: scheme.rules.some((r) => r.kind === 'project_funds_rate'),
    completion: scheme.rules.some((r) => r.kind === 'project_ontime_rate'),
  };
}

/**
 * Starts an assessment: reads the frozen record of the plan over the range, stores it with its
 * hash, freezes the scheme and computes the draft. 422 when no period of the range is closed.
 */
export async function createAssessment(db: DbOrTrx, body: z.output<typeof CreateAssessmentBody>, actor: Actor): Promise<Assessment> {
  return writeTx(db, async (trx) => {
    assertOffice(actor);
    // The plan must be the caller's own tenant's (404 another city's, 403 a city's seen from the
    // province); the scheme one they read.
    await assertCanAdministerAssessment(trx, actor, body.planId, 'plan not found');
    const schemeRow = await findSchemeRow(trx, body.schemeId);
    if (!schemeRow) throw new AppError('not_found', '考核方案不存在');
    await assertSchemeInScope(trx, actor, schemeRow, 'read');
    const scheme = await getScheme(trx, body.schemeId);
    await getPlan(trx, body.planId);
    const record = await readAssessmentRecord(
      trx,
      {
        planId: body.planId,
        start: body.start,
        end: body.end,
        orgIds: assessedOrgIds(scheme.scheme as Scheme),
        projects: projectParts(scheme.scheme as Scheme),
      },
      actor,
    );
    if (record.units.length === 0) throw new AppError('unprocessable', '考核方案没有被考核单位（请在分组中添加单位）');
    const recordJson = JSON.stringify(record);
    const id = randomUUID();
    const at = now();
    await insertAssessmentRow(trx, {
      id,
      scheme_id: scheme.id,
      plan_id: body.planId,
      title: body.title,
      range_start: body.start,
      range_end: body.end,
      stage: 'draft',
      objection_days: body.objectionDays,
      objection_until: null,
      published_at: null,
      finalised_at: null,
      reissue_of: null,
      record_json: recordJson,
      record_sha256: sha256(recordJson),
      result_json: '{}',
      created_by: actor.userId,
      version: 1,
      created_at: at,
      updated_at: at,
    });
    await freezeScheme(trx, scheme.id);
    await recompute(trx, await loadRow(trx, id), record);
    const after = await getAssessment(trx, id, actor);
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'assessment.create',
      entityType: 'assessment',
      entityId: id,
      after: { ...summary(await loadRow(trx, id)), reports: record.reports.length, notices: record.notices.length },
    });
    return after;
  });
}

async function bump(
  trx: DbOrTrx,
  row: AssessmentRow,
  version: number | undefined,
  patch: Parameters<typeof updateAssessmentIfVersion>[3] = {},
): Promise<void> {
  const v = version ?? row.version;
  if ((await updateAssessmentIfVersion(trx, row.id, v, { ...patch, updated_at: now() })) === 0)
    throw new AppError('version_conflict', '考核已被他人修改，请刷新');
}

/** 自评: a unit's note on one of its lines (draft stage). */
export async function addNote(db: DbOrTrx, id: string, body: { ruleId: string; text: string }, actor: Actor): Promise<ScoreSheet> {
  return writeTx(db, async (trx) => {
    const { row, viewer } = await loadForRead(trx, id, actor);
    const scheme = await schemeOf(trx, row);
    assertCanSelfAssess(viewer, assessedOrgIds(scheme), row.stage as AssessmentStage);
    if (!scheme.rules.some((r) => r.id === body.ruleId))
      throw new AppError('unprocessable', '没有这个考核项', { errors: [{ path: 'ruleId', message: '没有这个考核项' }] });
    const noteId = randomUUID();
    await insertNoteRow(trx, {
      id: noteId,
      assessment_id: id,
      org_id: actor.orgId,
      rule_id: body.ruleId,
      text: body.text,
      author_id: actor.userId,
      created_at: now(),
    });
    await bump(trx, row, undefined);
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'assessment.self_assess',
      entityType: 'assessment',
      entityId: id,
      after: { noteId, orgId: actor.orgId, ...body },
    });
    return getSheet(trx, id, actor.orgId, actor);
  });
}

/** 核查: the office adjusts a line, enters a manual score or sets a manual veto, with a reason (draft stage). */
export async function adjustLine(
  db: DbOrTrx,
  id: string,
  body: { version: number; orgId: string; ruleId: string; kind: 'adjust' | 'manual' | 'veto'; delta: number; reason: string },
  actor: Actor,
): Promise<ScoreSheet> {
  return writeTx(db, async (trx) => {
    const row = await loadForWrite(trx, id, actor);
    assertCanAdjust(actor, row.stage as AssessmentStage);
    const scheme = await schemeOf(trx, row);
    if (!assessedOrgIds(scheme).includes(body.orgId))
      throw new AppError('unprocessable', '该单位不在本次考核范围内', { errors: [{ path: 'orgId', message: '不在考核范围内' }] });
    const rule = scheme.rules.find((r) => r.id === body.ruleId);
    const ok =
      body.kind === 'veto'
        ? scheme.vetoes.some((v) => v.id === body.ruleId && v.when.kind === 'manual')
        : body.kind === 'manual'
          ? rule !== undefined && (rule.kind === 'manual' || rule.kind === 'bonus')
          : rule !== undefined;
    if (!ok) throw new AppError('unprocessable', '没有这个考核项，或该项不能这样调整', { errors: [{ path: 'ruleId', message: '不适用' }] });
    if (body.kind === 'manual' && rule?.max !== undefined && (body.delta < 0 || body.delta > rule.max)) {
      throw new AppError('unprocessable', `分值须在 0 至 ${rule.max} 之间`, { errors: [{ path: 'delta', message: `0–${rule.max}` }] });
    }
    const before = (await listLineRows(trx, id, body.orgId)).find((l) => l.rule_id === body.ruleId) ?? null;
    await bump(trx, row, body.version);
    const adjustmentId = randomUUID();
    await insertAdjustmentRow(trx, {
      id: adjustmentId,
      assessment_id: id,
      org_id: body.orgId,
      rule_id: body.ruleId,
      kind: body.kind,
      delta: body.delta,
      reason: body.reason,
      actor_id: actor.userId,
      created_at: now(),
    });
    await recompute(trx, await loadRow(trx, id));
    const after = (await listLineRows(trx, id, body.orgId)).find((l) => l.rule_id === body.ruleId) ?? null;
    await appendAudit(trx, {
      actorId: actor.userId,
      action: `assessment.${body.kind}`,
      entityType: 'assessment',
      entityId: id,
      before,
      after: { ...after, adjustmentId, reason: body.reason },
    });
    return getSheet(trx, id, body.orgId, actor);
  });
}

/** 初评: publishes the preliminary result to the units; the objection window runs `objectionDays` from `today`. */
export async function publishAssessment(db: DbOrTrx, id: string, version: number, actor: Actor, today: string): Promise<Assessment> {
  return writeTx(db, async (trx) => {
    assertOffice(actor);
    const row = await loadForWrite(trx, id, actor);
    if (row.stage !== 'draft') throw new AppError('unprocessable', '只有草稿可以公布初评');
    const before = summary(row);
    await bump(trx, row, version, { stage: 'published', published_at: now(), objection_until: addDays(today, row.objection_days) });
    const after = await getAssessment(trx, id, actor);
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'assessment.publish',
      entityType: 'assessment',
      entityId: id,
      before,
      after: summary(await loadRow(trx, id)),
    });
    return after;
  });
}

/** 异议: a unit objects to one of its lines, within the window (by the server's today). */
export async function fileObjection(
  db: DbOrTrx,
  id: string,
  body: { ruleId: string; text: string },
  actor: Actor,
  today: string,
): Promise<ScoreSheet> {
  return writeTx(db, async (trx) => {
    const { row, viewer } = await loadForRead(trx, id, actor);
    const scheme = await schemeOf(trx, row);
    assertCanObject(viewer, assessedOrgIds(scheme), row.stage as AssessmentStage, row.objection_until, today);
    if (!scheme.rules.some((r) => r.id === body.ruleId))
      throw new AppError('unprocessable', '没有这个考核项', { errors: [{ path: 'ruleId', message: '没有这个考核项' }] });
    const objectionId = randomUUID();
    await insertObjectionRow(trx, {
      id: objectionId,
      assessment_id: id,
      org_id: actor.orgId,
      rule_id: body.ruleId,
      text: body.text,
      filed_by: actor.userId,
      filed_at: now(),
      answer: null,
      outcome: null,
      answered_by: null,
      answered_at: null,
    });
    await bump(trx, row, undefined);
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'assessment.object',
      entityType: 'assessment',
      entityId: id,
      after: { objectionId, orgId: actor.orgId, ...body },
    });
    return getSheet(trx, id, actor.orgId, actor);
  });
}

/** The office answers an objection; upheld with a delta corrects the line (recorded as an adjustment). */
export async function answerObjection(
  db: DbOrTrx,
  objectionId: string,
  body: { answer: string; outcome: 'upheld' | 'rejected'; delta: number },
  actor: Actor,
): Promise<ScoreSheet> {
  return writeTx(db, async (trx) => {
    assertOffice(actor);
    const objection = await findObjectionRow(trx, objectionId);
    if (!objection) throw new AppError('not_found', '异议不存在');
    const row = await loadForWrite(trx, objection.assessment_id, actor).catch(notFoundAs('异议不存在'));
    if (row.stage !== 'published') throw new AppError('unprocessable', row.stage === 'final' ? '考核结果已定稿，不能修改' : '初评尚未公布');
    if (objection.answered_at !== null) throw new AppError('conflict', '该异议已答复');
    if (body.outcome === 'rejected' && body.delta !== 0)
      throw new AppError('unprocessable', '驳回的异议不调整分值', { errors: [{ path: 'delta', message: '须为 0' }] });
    const at = now();
    const r = await answerObjectionRow(trx, objectionId, {
      answer: body.answer,
      outcome: body.outcome,
      answered_by: actor.userId,
      answered_at: at,
    });
    if (Number(r.numUpdatedRows) === 0) throw new AppError('conflict', '该异议已答复');
    if (body.delta !== 0) {
      await insertAdjustmentRow(trx, {
        id: randomUUID(),
        assessment_id: row.id,
        org_id: objection.org_id,
        rule_id: objection.rule_id,
        kind: 'adjust',
        delta: body.delta,
        reason: `异议答复：${body.answer}`,
        actor_id: actor.userId,
        created_at: at,
      });
      await recompute(trx, row);
    }
    await bump(trx, row, undefined);
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'assessment.answer_objection',
      entityType: 'assessment',
      entityId: row.id,
      before: objection,
      after: { ...objection, ...body, answeredAt: at },
    });
    return getSheet(trx, row.id, objection.org_id, actor);
  });
}

/**
 * Finalises: every objection must be answered (the window closes now). The result is frozen and
 * the consequences the scheme's 红黑榜 imply are proposed (rewards for the 红榜, 约谈 for the 黑榜,
 * 问责 for a 黑榜 unit in the last tier) for the office to confirm.
 */
export async function finaliseAssessment(db: DbOrTrx, id: string, version: number, actor: Actor): Promise<Assessment> {
  return writeTx(db, async (trx) => {
    assertOffice(actor);
    const row = await loadForWrite(trx, id, actor);
    if (row.stage !== 'published') throw new AppError('unprocessable', row.stage === 'final' ? '考核已定稿' : '请先公布初评');
    const open = (await listObjectionRows(trx, id)).filter((o) => o.answered_at === null);
    if (open.length > 0) throw new AppError('unprocessable', `还有 ${open.length} 条异议未答复`);
    const before = summary(row);
    await bump(trx, row, version, { stage: 'final', finalised_at: now() });
    const scheme = await schemeOf(trx, row);
    const units = (JSON.parse(row.result_json) as AssessmentResult).units;
    const lastTier = scheme.tiers.tiers.at(-1)!.id;
    const at = now();
    const proposals = [];
    for (const g of [...new Set(units.map((u) => u.groupId))]) {
      const roll = honourRoll(units, g, scheme.honourCount);
      for (const u of roll.red)
        proposals.push({ orgId: u.orgId, kind: 'reward', reason: `${row.title}：排名第 ${u.rank}，${u.total} 分，列入红榜` });
      for (const u of roll.black) {
        const kind = u.tierId === lastTier ? 'accountability' : 'interview';
        proposals.push({ orgId: u.orgId, kind, reason: `${row.title}：排名第 ${u.rank}，${u.total} 分，列入黑榜` });
      }
    }
    await insertConsequenceRows(
      trx,
      proposals.map((p) => ({
        id: randomUUID(),
        assessment_id: id,
        org_id: p.orgId,
        kind: p.kind,
        reason: p.reason,
        status: 'proposed',
        notice_id: null,
        decided_by: null,
        decided_at: null,
        created_at: at,
      })),
    );
    const after = await getAssessment(trx, id, actor);
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'assessment.finalise',
      entityType: 'assessment',
      entityId: id,
      before,
      after: { ...summary(await loadRow(trx, id)), proposals },
    });
    return after;
  });
}

/** A correction of a final assessment: a new draft over the same frozen record and entries, linked to it. */
export async function reissueAssessment(db: DbOrTrx, id: string, reason: string, actor: Actor): Promise<Assessment> {
  return writeTx(db, async (trx) => {
    assertOffice(actor);
    const row = await loadForWrite(trx, id, actor);
    if (row.stage !== 'final') throw new AppError('unprocessable', '只有定稿的考核可以重新发布；草稿和初评可直接修改');
    const newId = randomUUID();
    const at = now();
    await insertAssessmentRow(trx, {
      ...row,
      id: newId,
      title: row.title,
      stage: 'draft',
      objection_until: null,
      published_at: null,
      finalised_at: null,
      reissue_of: row.id,
      record_json: '',
      created_by: actor.userId,
      version: 1,
      created_at: at,
      updated_at: at,
    });
    await copyAssessmentRecord(trx, row.id, newId);
    await copyAdjustmentRows(trx, row.id, newId, randomUUID);
    await recompute(trx, await loadRow(trx, newId));
    const after = await getAssessment(trx, newId, actor);
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'assessment.reissue',
      entityType: 'assessment',
      entityId: newId,
      before: summary(row),
      after: { ...summary(await loadRow(trx, newId)), reason },
    });
    return after;
  });
}

/**
 * Recomputes an assessment from the stored snapshots and events, read afresh through the
 * reporting and supervision services, and compares with what is stored.
 */
export async function verifyAssessment(db: DbOrTrx, id: string, actor: Actor) {
  assertOffice(actor);
  const row = await loadRow(db, id);
  await assertCanReadAssessment(db, actor, row.plan_id);
  const scheme = await schemeOf(db, row);
  const record = await readAssessmentRecord(
    db,
    { planId: row.plan_id, start: row.range_start, end: row.range_end, orgIds: assessedOrgIds(scheme), projects: projectParts(scheme) },
    actor,
  );
  const recordJson = JSON.stringify(record);
  const resultJson = JSON.stringify(await computeResult(db, row, record));
  return {
    identical: recordJson === (await findAssessmentRecordJson(db, row.id)) && resultJson === row.result_json,
    recordSha256: row.record_sha256,
    recomputedSha256: sha256(recordJson),
    storedResultSha256: sha256(row.result_json),
    recomputedResultSha256: sha256(resultJson),
  };
}

// ---------------------------------------------------------------- rankings

/** Rankings per peer group, with tiers, change since the previous final assessment of the plan, 红黑榜 and the trend. */
export async function getRanking(db: DbOrTrx, id: string, caller: Actor): Promise<Ranking> {
  const { row, viewer } = await loadForRead(db, id, caller);
  return rankingOf(db, row, viewer);
}

async function rankingOf(db: DbOrTrx, row: AssessmentRow, actor: Actor): Promise<Ranking> {
  const id = row.id;
  if (!isOversight(actor) && row.stage === 'draft') throw new AppError('forbidden', '初评公布前只能查看本单位的得分');
  const scheme = await schemeOf(db, row);
  const units = (JSON.parse(row.result_json) as AssessmentResult).units;
  const finals = (await listFinalAssessmentsOfPlan(db, row.plan_id)).filter(
    (a) => a.id !== row.id && a.range_end < row.range_end && a.id !== row.reissue_of,
  );
  const previous = finals.at(-1) ?? null;
  const previousUnits = previous ? new Map((await listUnitRows(db, [previous.id])).map((u) => [u.org_id, u])) : new Map();
  const tierLabel = new Map(scheme.tiers.tiers.map((t) => [t.id, t.label]));
  const groupIds = [...new Set([...scheme.groups.map((g) => g.id as string | null), ...units.map((u) => u.groupId)])];
  const trendRows = [...finals, row];
  const trendUnits = await listUnitRows(
    db,
    trendRows.map((r) => r.id),
  );
  return {
    assessmentId: id,
    previousId: previous?.id ?? null,
    tiers: scheme.tiers.tiers.map((t) => ({ id: t.id, label: t.label, min: t.min ?? null })),
    groups: groupIds
      .map((gid) => {
        const members = units.filter((u) => u.groupId === gid).sort((a, b) => a.rank - b.rank);
        const roll = honourRoll(units, gid, scheme.honourCount);
        return {
          id: gid,
          label: scheme.groups.find((g) => g.id === gid)?.label ?? '未分组',
          rows: members.map((u) => {
            const prev = previousUnits.get(u.orgId);
            return {
              orgId: u.orgId,
              name: u.name,
              rank: u.rank,
              total: u.total,
              tierId: u.tierId,
              tierLabel: tierLabel.get(u.tierId) ?? u.tierId,
              change: prev ? prev.rank - u.rank : null,
              previousTotal: prev ? prev.total : null,
              categories: u.categories.map((c) => ({ categoryId: c.categoryId, label: c.label, score: c.score })),
            };
          }),
          red: roll.red.map((u) => u.orgId),
          black: roll.black.map((u) => u.orgId),
        };
      })
      .filter((g) => g.rows.length > 0),
    trend: trendRows.map((r) => ({
      assessmentId: r.id,
      title: r.title,
      end: r.range_end,
      totals: Object.fromEntries(trendUnits.filter((u) => u.assessment_id === r.id).map((u) => [u.org_id, u.total])),
    })),
  };
}

// ---------------------------------------------------------------- consequences

async function toConsequences(db: DbOrTrx, assessmentId: string) {
  const names = new Map((await listUnitRows(db, [assessmentId])).map((u) => [u.org_id, u.name]));
  return (await listConsequenceRows(db, assessmentId)).map((c) => ({
    id: c.id,
    assessmentId: c.assessment_id,
    orgId: c.org_id,
    orgName: names.get(c.org_id) ?? '',
    kind: c.kind as 'reward' | 'interview' | 'accountability',
    reason: c.reason,
    status: c.status as 'proposed' | 'confirmed' | 'dismissed',
    noticeId: c.notice_id,
    decidedBy: c.decided_by,
    decidedAt: c.decided_at,
  }));
}

/** The consequences proposed on finalising (office and leadership). */
function assertOversightRole(actor: Actor): void {
  if (actor.role !== 'admin' && actor.role !== 'leader') throw new AppError('forbidden', '只有考核办公室和领导可以查看');
}

export async function listConsequences(db: DbOrTrx, id: string, actor: Actor) {
  // Departments and counties are never oversight: 403 before any lookup, whatever the id.
  assertOversightRole(actor);
  const { viewer } = await loadForRead(db, id, actor);
  if (!isOversight(viewer)) throw new AppError('forbidden', '只有考核办公室和领导可以查看');
  return { items: await toConsequences(db, id) };
}

/**
 * The office confirms or dismisses a proposed consequence. Confirming a 约谈 or 问责 issues a
 * 督办 notice (the supervision record) on the unit's ledger rows among the assessed tasks, so the
 * escalation ladder and the assessment tell one story; a unit with no such row keeps the record only.
 */
export async function decideConsequence(
  db: DbOrTrx,
  consequenceId: string,
  body: { decision: 'confirm' | 'dismiss'; note: string; dueDate?: string },
  actor: Actor,
  today: string,
) {
  return writeTx(db, async (trx) => {
    assertOffice(actor);
    const c = await findConsequenceRow(trx, consequenceId);
    if (!c) throw new AppError('not_found', '考核结果运用记录不存在');
    const row = await loadForWrite(trx, c.assessment_id, actor).catch(notFoundAs('考核结果运用记录不存在'));
    if (c.status !== 'proposed') throw new AppError('conflict', '已处理');
    let noticeId: string | null = null;
    if (body.decision === 'confirm' && c.kind !== 'reward') {
      const record = await storedRecordOf(trx, row);
      const taskIds = [...new Set(record.reports.filter((f) => f.orgId === c.org_id).map((f) => f.taskId))].sort();
      const label = c.kind === 'interview' ? '约谈' : '问责';
      try {
        if (taskIds.length > 0) {
          const notice = await issueNotice(
            trx,
            {
              rows: taskIds.slice(0, 50).map((taskId) => ({ taskId, orgId: c.org_id })),
              reason: `${c.reason}，拟${label}`,
              requiredAction: body.note || `按考核结果运用要求接受${label}并提交整改报告`,
              dueDate: body.dueDate ?? addDays(today, 15),
            },
            actor,
          );
          noticeId = notice.id;
        }
      } catch (err) {
        // The unit answers for no ledger row of these tasks (e.g. a jurisdiction of a target only).
        if (!(err instanceof AppError && err.code === 'unprocessable')) throw err;
      }
    }
    const at = now();
    await decideConsequenceRow(trx, consequenceId, {
      status: body.decision === 'confirm' ? 'confirmed' : 'dismissed',
      notice_id: noticeId,
      decided_by: actor.userId,
      decided_at: at,
    });
    await appendAudit(trx, {
      actorId: actor.userId,
      action: `assessment_consequence.${body.decision}`,
      entityType: 'assessment_consequence',
      entityId: consequenceId,
      before: c,
      after: { ...c, noticeId, note: body.note },
    });
    return (await toConsequences(trx, c.assessment_id)).find((x) => x.id === consequenceId)!;
  });
}

/**
 * For bulletins: the stored assessment row and its scheme (same module). With `actor` (the
 * bulletin service passes it): `read` gives also who they are to the role rules (404 outside
 * scope); `write` is the office's own tenant only (404/403).
 */
export async function loadForBulletin(db: DbOrTrx, id: string, access?: { actor: Actor; mode: 'read' | 'write' }) {
  let viewer: Actor | null = null;
  if (access?.mode === 'write') await loadForWrite(db, id, access.actor);
  if (access?.mode === 'read') viewer = (await loadForRead(db, id, access.actor)).viewer;
  return { ...(await finalForBulletin(db, id)), viewer };
}

async function finalForBulletin(db: DbOrTrx, id: string) {
  const row = await loadRow(db, id);
  if (row.stage !== 'final') throw new AppError('unprocessable', '只有定稿的考核可以起草通报');
  return { row, scheme: await schemeOf(db, row), result: JSON.parse(row.result_json) as AssessmentResult };
}

/**
 * 年终综合考评: the two half-year assessments and the year-end review (three final assessments of
 * one plan) combined with the review scheme's year-end weights, ranked and tiered by it. A unit
 * vetoed in any part stays vetoed.
 */
export async function yearEndRanking(
  db: DbOrTrx,
  ids: { firstHalf: string; secondHalf: string; review: string },
  actor: Actor,
): Promise<YearEndRanking> {
  assertOversightRole(actor);
  const loaded = await Promise.all([ids.firstHalf, ids.secondHalf, ids.review].map((id) => loadForRead(db, id, actor)));
  if (loaded.some((l) => !isOversight(l.viewer))) throw new AppError('forbidden', '只有考核办公室和领导可以查看');
  const rows = loaded.map((l) => l.row);
  if (rows.some((r) => r.stage !== 'final')) throw new AppError('unprocessable', '三次考核都须已定稿');
  if (new Set(rows.map((r) => r.plan_id)).size !== 1) throw new AppError('unprocessable', '三次考核须属于同一计划');
  const scheme = await schemeOf(db, rows[2]!);
  const [first, second, review] = await Promise.all(rows.map((r) => listUnitRows(db, [r.id])));
  const totals = (units: typeof first) => new Map(units!.map((u) => [u.org_id, u.total]));
  const byOrg = new Map<string, { orgId: string; name: string; vetoes: string[] }>();
  for (const u of [...first!, ...second!, ...review!]) {
    const seen = byOrg.get(u.org_id) ?? { orgId: u.org_id, name: u.name, vetoes: [] };
    seen.vetoes = [...new Set([...seen.vetoes, ...(JSON.parse(u.vetoes_json) as string[])])];
    byOrg.set(u.org_id, seen);
  }
  const parts = { firstHalf: totals(first), secondHalf: totals(second), review: totals(review) };
  const ranked = combineYearEnd(
    scheme,
    [...byOrg.values()].sort((a, b) => (a.orgId < b.orgId ? -1 : 1)),
    parts,
  );
  return {
    weights: scheme.yearEnd ?? { firstHalf: 0.5, secondHalf: 0.5, review: 0 },
    rows: ranked.map((u) => ({
      orgId: u.orgId,
      name: u.name,
      groupId: u.groupId,
      rank: u.rank,
      total: u.total,
      tierId: u.tierId,
      firstHalf: parts.firstHalf.get(u.orgId) ?? null,
      secondHalf: parts.secondHalf.get(u.orgId) ?? null,
      review: parts.review.get(u.orgId) ?? null,
    })),
  };
}

/** The final assessments (what the public portal may publish a ranking of), oldest first. */
export async function listFinalAssessments(db: DbOrTrx): Promise<Omit<Assessment, 'units' | 'progress'>[]> {
  return (await listAssessmentRows(db)).filter((r) => r.stage === 'final').map(summary);
}

// The ranking of a final assessment is public to every role; the portal reads it as the office would.
const PUBLIC_READER: Actor = { userId: '', orgId: '', role: 'leader', displayName: '' };

/** A final assessment and its ranking, for publishing. 404 when unknown, 422 unless it is final. */
export async function getFinalRanking(
  db: DbOrTrx,
  id: string,
): Promise<{ assessment: Omit<Assessment, 'units' | 'progress'>; ranking: Ranking }> {
  const row = await loadRow(db, id);
  if (row.stage !== 'final') throw new AppError('unprocessable', '只有定稿的考核可以向社会公布');
  return { assessment: summary(row), ranking: await rankingOf(db, row, PUBLIC_READER) };
}
