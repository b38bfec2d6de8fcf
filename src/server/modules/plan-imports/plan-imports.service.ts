import { randomUUID } from 'node:crypto';
import { extname } from 'node:path';
import type { z } from 'zod';
import type {
  ConfirmPlanImportResult,
  MapMentionsBody,
  PlanImport,
  PlanRevisionDiff,
  UnresolvedMention,
} from '../../../shared/schemas/plan-import.schema.ts';
import type { PlanExtract as PlanExtractBody } from '../../../shared/schemas/plan-extract.schema.ts';
import { isCalendarDate } from '../../../shared/schemas/common.schema.ts';
import { parsePlan, resolveUnits } from '../../../plan-parser/index.ts';
import { decodePlanDocument, PlanDocumentError } from '../../../plan-parser/plan-document.decoder.ts';
import type { OrgRegistry, PlanExtract, UnitRef } from '../../../plan-parser/plan-extract.types.ts';
import type { DbOrTrx } from '../../db/database.ts';
import type { Selectable } from 'kysely';
import type { PlanImportsTable } from '../../db/database.types.ts';
import { AppError } from '../../core/app-error.ts';
import { cleanFilename, stripBidiControls } from '../../../shared/file-name.ts';
import { LIMITS } from '../../../shared/limits.ts';
import { inflateBounded, UnzipRefused } from '../../core/bounded-unzip.rule.ts';
import { isZip } from '../../core/zip-inspect.rule.ts';
import type { Actor } from '../../core/actor.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { writeTx } from '../../core/transaction.ts';
import { versionedUpdateAudited } from '../../core/versioned-update.ts';
import { createOrganisation, exportRegistry, hasOrganisation } from '../organisations/organisations.service.ts';
import { buildJurisdictionLookup } from '../plans/jurisdiction.lookup.ts';
import { newSortableId } from '../../core/ids.ts';
import { createPlanFromGraph, listPlanTaskTexts, revisePlanFromGraph } from '../plans/plans.service.ts';
import { countReportsOnTasks } from '../reporting/progress-reports.service.ts';
import { countNoticesOnTasks } from '../supervision/supervision.service.ts';
import { buildPlanGraph } from './plan-graph.mapping.ts';
import { diffPlanRevision } from './plan-revision.diff.ts';
import { findPlanImportRow, insertPlanImportRow, updatePlanImportRow } from './plan-imports.repository.ts';
import { assertCanUseImport, canReviseImportPlan, importOrgIds, ownerForNewImport } from './plan-imports.policy.ts';

type PlanImportDto = z.infer<typeof PlanImport>;
type Unresolved = z.infer<typeof UnresolvedMention>;
type ConfirmResult = z.infer<typeof ConfirmPlanImportResult>;

/** Plan documents the import accepts, by extension; the decoder checks the content itself. */
export const PLAN_FILE_EXTENSIONS = ['.txt', '.docx'] as const;

function toDto(row: Selectable<PlanImportsTable>): PlanImportDto {
  return {
    id: row.id,
    status: row.status,
    filename: row.filename === null ? null : stripBidiControls(row.filename),
    title: row.title,
    text: row.text,
    extract: JSON.parse(row.extract_json) as unknown,
    unresolved: JSON.parse(row.unresolved_json) as Unresolved[],
    planId: row.plan_id,
    revisesPlanId: row.revises_plan_id,
    diff: row.diff_json ? (JSON.parse(row.diff_json) as PlanRevisionDiff) : null,
    createdAt: row.created_at,
  };
}

// The review table edits what the parser produced; both shapes must stay one and the same.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const extractSchemaMatchesParser: Same<PlanExtractBody, PlanExtract> = true;
void extractSchemaMatchesParser;

/** The revision diff of an extract against the plan it revises; 422 (path revisesPlanId) when that plan is gone. */
async function diffAgainstPlan(db: DbOrTrx, planId: string, extract: PlanExtract): Promise<PlanRevisionDiff> {
  let existing: Awaited<ReturnType<typeof listPlanTaskTexts>>;
  try {
    existing = await listPlanTaskTexts(db, planId);
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'not_found')) throw error;
    throw new AppError('unprocessable', 'the plan to revise does not exist', {
      errors: [{ path: 'revisesPlanId', message: 'plan not found' }],
    });
  }
  return diffPlanRevision(
    planId,
    existing,
    extract.tasks.map((t) => t.text),
  );
}

// The registry the parser resolves against is the organisations table as it is now, with
// app ids, so a resolved orgId is directly an assignments.org_id — only the organisations of the
// draft's tenant (plan-imports.policy.ts), so another city's 市住建局 is never matched.
async function loadRegistry(db: DbOrTrx, ownerOrgId: string | null): Promise<OrgRegistry> {
  const [file, allowed] = await Promise.all([exportRegistry(db), importOrgIds(db, ownerOrgId)]);
  const within = (id: string) => allowed === null || allowed.has(id);
  return {
    organisations: file.organisations
      .filter((o) => within(o.id))
      .map((o) => ({
        id: o.id,
        name: o.name,
        aliases: o.aliases,
        kind: o.kind,
        ...(o.adminCode ? { adminCode: o.adminCode } : {}),
        ...(o.parentId && within(o.parentId) ? { parentId: o.parentId } : {}),
        ...(o.members ? { members: o.members.filter((m) => within(m)) } : {}),
      })),
  };
}

/**
 * Parses pasted plan text, resolves its unit mentions against the organisation registry and
 * stores a draft import for review. 422 when the text holds no task clause at all (not a plan).
 */
export async function createPlanImport(
  db: DbOrTrx,
  actor: Actor | null,
  input: { text: string; filename?: string | null; revisesPlanId?: string | null },
): Promise<PlanImportDto> {
  // Parsing is pure CPU; it runs before the transaction so writers are not held up by it.
  const text = input.text.replace(/^\uFEFF/, '');
  let extract: PlanExtract;
  try {
    extract = parsePlan(text);
  } catch (error) {
    throw new AppError('unprocessable', `the plan could not be parsed: ${(error as Error).message}`);
  }
  if (extract.tasks.length === 0) {
    throw new AppError(
      'plan_no_tasks',
      'no task clauses found: an implementation plan assigns each task to units in brackets, e.g. (牵头单位:…,责任单位:…)',
    );
  }
  return writeTx(db, async (trx) => {
    const revisesPlanId = input.revisesPlanId ?? null;
    const owner = await ownerForNewImport(trx, actor);
    // Another city's plan to revise does not exist for the caller; the province's reading of a city's is 403.
    if (revisesPlanId && !(await canReviseImportPlan(trx, actor, revisesPlanId))) {
      throw new AppError('unprocessable', 'the plan to revise does not exist', {
        errors: [{ path: 'revisesPlanId', message: 'plan not found' }],
      });
    }
    const registry = await loadRegistry(trx, owner);
    const resolved = resolveUnits(extract, registry);
    const unresolved: Unresolved[] = resolved.unresolved.map((u) => ({ ...u, orgId: null }));
    const diff = revisesPlanId ? await diffAgainstPlan(trx, revisesPlanId, resolved.extract) : null;
    const now = new Date().toISOString();
    const id = randomUUID();
    const row = {
      id,
      status: 'draft' as const,
      filename: input.filename == null ? null : cleanFilename(input.filename, 'plan'),
      title: resolved.extract.title,
      text,
      extract_json: JSON.stringify(resolved.extract),
      unresolved_json: JSON.stringify(unresolved),
      plan_id: null,
      revises_plan_id: revisesPlanId,
      diff_json: diff ? JSON.stringify(diff) : null,
      created_by: actor?.userId ?? null,
      owner_org_id: owner,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await insertPlanImportRow(trx, row);
    await appendAudit(trx, {
      actorId: actor?.userId ?? null,
      action: 'plan_import.create',
      entityType: 'plan_import',
      entityId: id,
      after: {
        filename: row.filename,
        title: row.title,
        tasks: resolved.extract.tasks.length,
        unresolved: unresolved.map((u) => u.name),
        ...(diff ? { revisesPlanId, diff: countDiff(diff) } : {}),
      },
    });
    return toDto(row);
  });
}

/**
 * Decodes an uploaded .txt (UTF-8 or GB18030) or .docx and imports it as createPlanImport does.
 * 415 for other file types, 422 for a file that is not readable plan text.
 */
/**
 * 413 when a .docx inflates past the zip limits, counted on the bytes really inflated (a 600 KB
 * file may hold a 1 GB document whatever its headers say). Checked here rather than in the pure
 * decoder: the limits are the server's policy (the CLI reads the operator's own files), and this
 * is the one bounded-unzip rule every zip upload goes through. Once it passes, mammoth inflates
 * the same bytes, so its memory is bounded by the same limits.
 */
async function assertBoundedDocx(bytes: Uint8Array): Promise<void> {
  try {
    await inflateBounded(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      totalBytes: LIMITS.zipInflatedBytes,
      entryBytes: LIMITS.zipEntryBytes,
      entries: LIMITS.zipEntries,
    });
  } catch (err) {
    if (!(err instanceof UnzipRefused)) throw err;
    // A zip that cannot be read is left to the decoder, whose message names the problem.
    if (err.refusal.kind === 'not_zip') return;
    if (err.refusal.kind === 'entries')
      throw new AppError('payload_too_large', `文档包含的部件过多（至多 ${LIMITS.zipEntries} 个），不是正常的 .docx 文件`);
    throw new AppError(
      'payload_too_large',
      `文档解压后过大（单个部件至多 ${LIMITS.zipEntryBytes / 1024 / 1024} MB，合计至多 ${LIMITS.zipInflatedBytes / 1024 / 1024} MB）：请另存为 .docx 或 .txt 后重新上传`,
    );
  }
}

export async function createPlanImportFromFile(
  db: DbOrTrx,
  actor: Actor | null,
  bytes: Uint8Array,
  filename: string,
  revisesPlanId?: string | null,
): Promise<PlanImportDto> {
  // The name is stored and shown to others: no path, control or bidi characters (see file-name.ts).
  filename = cleanFilename(filename, 'plan');
  const ext = extname(filename).toLowerCase();
  if (!(PLAN_FILE_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new AppError('unsupported_media_type', `"${filename}" is not a .txt or .docx plan document`);
  }
  if (isZip(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))) await assertBoundedDocx(bytes);
  let text: string;
  try {
    ({ text } = await decodePlanDocument(bytes, filename));
  } catch (error) {
    // The kind picks the sentence users read (zh/en); the English message stays the detail for logs.
    if (error instanceof PlanDocumentError) throw new AppError(`plan_document_${error.kind}`, error.message);
    throw error;
  }
  return createPlanImport(db, actor, { text, filename, revisesPlanId });
}

function countDiff(diff: PlanRevisionDiff) {
  return { unchanged: diff.unchanged.length, edited: diff.edited.length, added: diff.added.length, removed: diff.removed.length };
}

/**
 * Replaces a draft's extraction with the one edited in the review table (units per role,
 * deadlines, targets). Units the admin pinned to an existing organisation keep it; the others are
 * re-resolved against the registry, and the mappings already made carry over by name. A revision
 * draft gets its diff recomputed. Only a draft can be edited (409).
 */
export async function updatePlanImportExtract(
  db: DbOrTrx,
  actor: Actor | null,
  importId: string,
  edited: PlanExtractBody,
): Promise<PlanImportDto> {
  return writeTx(db, async (trx) => {
    const row = await findPlanImportRow(trx, importId);
    if (!row) throw new AppError('not_found', 'plan import not found');
    await assertCanUseImport(trx, actor, row.owner_org_id ?? null, 'administer');
    if (row.status !== 'draft') throw new AppError('conflict', `the import is ${row.status}, not a draft`);
    const registry = await loadRegistry(trx, row.owner_org_id ?? null);
    const known = new Set(registry.organisations.map((o) => o.id));
    const errors: { path: string; message: string }[] = [];
    const roles = ['lead', 'responsible', 'cooperating'] as const;
    edited.tasks.forEach((task, i) => {
      for (const role of roles) {
        task.assignment[role].forEach((u, j) => {
          if (u.orgId && !known.has(u.orgId)) {
            errors.push({ path: `extract.tasks.${i}.assignment.${role}.${j}.orgId`, message: 'organisation not found' });
          }
        });
      }
    });
    if (errors.length > 0) throw new AppError('validation', errors[0].message, { errors });

    const resolved = resolveUnits(edited, registry);
    // resolveUnits knows names only: put back the organisations the admin picked by hand.
    const pinned = new Set<string>();
    resolved.extract.tasks.forEach((task, i) => {
      for (const role of roles) {
        task.assignment[role] = task.assignment[role].map((u, j) => {
          const picked = edited.tasks[i].assignment[role][j]?.orgId;
          if (!picked) return u;
          pinned.add(`${i}|${role}|${u.name}`);
          return { ...u, orgId: picked };
        });
      }
    });
    const previous = new Map((JSON.parse(row.unresolved_json) as Unresolved[]).map((u) => [u.name, u.orgId]));
    const unresolved: Unresolved[] = resolved.unresolved
      .map((u) => ({ ...u, occurrences: u.occurrences.filter((o) => !pinned.has(`${o.taskIndex}|${o.role}|${u.name}`)) }))
      .filter((u) => u.occurrences.length > 0)
      .map((u) => {
        const orgId = previous.get(u.name) ?? null;
        return { ...u, orgId: orgId && known.has(orgId) ? orgId : null };
      });
    const diff = row.revises_plan_id ? await diffAgainstPlan(trx, row.revises_plan_id, resolved.extract) : null;
    await versionedUpdateAudited(trx, {
      table: 'plan_imports',
      id: importId,
      version: row.version,
      patch: {
        title: resolved.extract.title,
        extract_json: JSON.stringify(resolved.extract),
        unresolved_json: JSON.stringify(unresolved),
        diff_json: diff ? JSON.stringify(diff) : null,
        updated_at: new Date().toISOString(),
      },
      conflict: () => new AppError('conflict', 'the import was changed meanwhile; reload it'),
      audit: {
        actorId: actor?.userId ?? null,
        action: 'plan_import.edit',
        entityType: 'plan_import',
        entityId: importId,
        after: () => ({
          title: resolved.extract.title,
          tasks: resolved.extract.tasks.length,
          unresolved: unresolved.map((u) => u.name),
          ...(diff ? { diff: countDiff(diff) } : {}),
        }),
      },
    });
    return toDto((await findPlanImportRow(trx, importId))!);
  });
}

/** A draft or confirmed import; 404 when unknown or another jurisdiction's (actor omitted: internal). */
export async function getPlanImport(db: DbOrTrx, importId: string, actor?: Actor | null): Promise<PlanImportDto> {
  const row = await findPlanImportRow(db, importId);
  if (!row) throw new AppError('not_found', 'plan import not found');
  await assertCanUseImport(db, actor ?? null, row.owner_org_id ?? null, 'read');
  return toDto(row);
}

/**
 * Maps unresolved unit mentions (by normalised name) to an existing organisation, or creates a
 * new one through the organisations service (audited there). Only a draft can be changed (409).
 */
export async function mapPlanImportMentions(
  db: DbOrTrx,
  actor: Actor | null,
  importId: string,
  body: z.infer<typeof MapMentionsBody>,
): Promise<PlanImportDto> {
  return writeTx(db, async (trx) => {
    const row = await findPlanImportRow(trx, importId);
    if (!row) throw new AppError('not_found', 'plan import not found');
    await assertCanUseImport(trx, actor, row.owner_org_id ?? null, 'administer');
    if (row.status !== 'draft') throw new AppError('conflict', `the import is ${row.status}, not a draft`);
    const unresolved = JSON.parse(row.unresolved_json) as Unresolved[];
    const errors: { path: string; message: string }[] = [];
    // Mapped to, or made members of: organisations of the draft's own tenant only.
    const allowed = await importOrgIds(trx, row.owner_org_id ?? null);
    const usable = async (orgId: string) => (allowed === null || allowed.has(orgId)) && (await hasOrganisation(trx, orgId));
    for (const [i, m] of body.mappings.entries()) {
      // Names are unique per import; a mention ("管委") may stand for several names, so it only
      // counts when no name matches.
      const byName = unresolved.filter((u) => u.name === m.name);
      const entries = byName.length > 0 ? byName : unresolved.filter((u) => u.mention === m.name);
      if (entries.length === 0) {
        errors.push({ path: `mappings.${i}.name`, message: `"${m.name}" is not an unresolved mention of this import` });
        continue;
      }
      let orgId: string;
      if ('orgId' in m) {
        if (!(await usable(m.orgId))) {
          errors.push({ path: `mappings.${i}.orgId`, message: 'organisation not found' });
          continue;
        }
        orgId = m.orgId;
      } else {
        const memberIds = [...new Set(m.create.memberIds ?? [])];
        if (memberIds.length > 0 && m.create.kind !== 'group') {
          errors.push({ path: `mappings.${i}.create.memberIds`, message: '只有"组"类单位可以有成员' });
          continue;
        }
        const missing = [];
        for (const memberId of memberIds) if (!(await usable(memberId))) missing.push(memberId);
        if (missing.length > 0) {
          errors.push({ path: `mappings.${i}.create.memberIds`, message: '成员单位不存在' });
          continue;
        }
        const created = await createOrganisation(trx, actor, {
          name: m.create.name,
          // The plan's wording becomes an alias, so the next plan that uses it resolves on its own.
          aliases: m.create.name === m.name ? [] : [m.name],
          kind: m.create.kind,
          adminCode: null,
          parentId: null,
          memberIds,
        });
        orgId = created.id;
      }
      for (const e of entries) e.orgId = orgId;
    }
    if (errors.length > 0) throw new AppError('validation', errors[0].message, { errors });
    await versionedUpdateAudited(trx, {
      table: 'plan_imports',
      id: importId,
      version: row.version,
      patch: { unresolved_json: JSON.stringify(unresolved), updated_at: new Date().toISOString() },
      conflict: () => new AppError('conflict', 'the import was changed meanwhile; reload it'),
      audit: {
        actorId: actor?.userId ?? null,
        action: 'plan_import.map',
        entityType: 'plan_import',
        entityId: importId,
        after: () => ({ mappings: unresolved.filter((u) => u.orgId).map((u) => ({ name: u.name, orgId: u.orgId })) }),
      },
    });
    return toDto((await findPlanImportRow(trx, importId))!);
  });
}

/**
 * Turns a draft into a plan: sections, tasks (seq in document order), assignments (one per
 * organisation and role), deadlines and targets (district shares linked to their total), in one
 * transaction. 422 while any mention is unmapped; 409 if the import is no longer a draft.
 */
export async function confirmPlanImport(db: DbOrTrx, actor: Actor | null, importId: string): Promise<ConfirmResult> {
  return writeTx(db, async (trx) => {
    const row = await findPlanImportRow(trx, importId);
    if (!row) throw new AppError('not_found', 'plan import not found');
    await assertCanUseImport(trx, actor, row.owner_org_id ?? null, 'administer');
    if (row.status !== 'draft') throw new AppError('conflict', `the import is already ${row.status}`);
    if (row.revises_plan_id && !(await canReviseImportPlan(trx, actor, row.revises_plan_id))) {
      throw new AppError('not_found', 'plan import not found');
    }
    const unresolved = JSON.parse(row.unresolved_json) as Unresolved[];
    const unmapped = unresolved.filter((u) => !u.orgId);
    if (unmapped.length > 0) {
      throw new AppError(
        'unprocessable',
        `map every unit mention to an organisation first; unmapped: ${unmapped.map((u) => u.name).join('、')}`,
        { unmapped: unmapped.map((u) => u.name) },
      );
    }
    const registry = await loadRegistry(trx, row.owner_org_id ?? null);
    const known = new Set(registry.organisations.map((o) => o.id));
    const mapped = new Map<string, string>();
    for (const u of unresolved) mapped.set(u.name, u.orgId!);
    const orgIdForUnit = (ref: UnitRef): string | null => {
      const id = ref.orgId ?? mapped.get(ref.name) ?? null;
      // An organisation deleted since the draft was made would break the foreign key later.
      if (id && !known.has(id)) {
        throw new AppError('unprocessable', `the organisation for "${ref.name}" no longer exists; map it again`);
      }
      return id;
    };
    const extract = JSON.parse(row.extract_json) as PlanExtract;
    // A draft parsed before dates were checked may hold a day that never was (2018-06-00): stored,
    // it would break every response that carries the task. The admin corrects it in the review table.
    for (const [i, task] of extract.tasks.entries()) {
      for (const [j, deadline] of task.deadlines.entries()) {
        if (isCalendarDate(deadline.date)) continue;
        throw new AppError('unprocessable', `第 ${i + 1} 条任务的截止日期不是有效日期：${deadline.date}，请在审核表中修改`, {
          errors: [{ path: `extract.tasks.${i}.deadlines.${j}.date`, message: `不是有效日期：${deadline.date}` }],
        });
      }
    }
    let graph: ReturnType<typeof buildPlanGraph>;
    try {
      graph = buildPlanGraph(extract, {
        text: row.text,
        // The plan's own title as extracted (or as the admin corrected it in the review table);
        // a file name ("扫描件(3).docx") is no title, so a plan without one is named plainly.
        fallbackTitle: '未命名实施方案',
        now: new Date().toISOString(),
        newId: newSortableId,
        orgIdForUnit,
        orgIdForJurisdiction: buildJurisdictionLookup(registry.organisations),
      });
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('unprocessable', (error as Error).message);
    }
    // The plan belongs to the draft's tenant (the importer's); a draft of no tenant lets plans decide.
    if (row.owner_org_id) graph.plan.owner_org_id = row.owner_org_id;
    let planId = graph.plan.id as string;
    let diff: PlanRevisionDiff | null = null;
    if (row.revises_plan_id) {
      // Matched again against the plan as it is now: tasks may have changed since the draft.
      planId = row.revises_plan_id;
      diff = await diffAgainstPlan(trx, planId, extract);
      await revisePlanFromGraph(trx, planId, graph, diff, actor?.userId ?? null, {
        countReports: countReportsOnTasks,
        countNotices: countNoticesOnTasks,
      });
    } else {
      await createPlanFromGraph(trx, graph, actor?.userId ?? null);
    }
    const changed = await updatePlanImportRow(trx, importId, row.version, {
      status: 'confirmed',
      plan_id: planId,
      ...(diff ? { diff_json: JSON.stringify(diff) } : {}),
      updated_at: new Date().toISOString(),
    });
    if (changed === 0) throw new AppError('conflict', 'the import was changed meanwhile; reload it');
    await appendAudit(trx, {
      actorId: actor?.userId ?? null,
      action: 'plan_import.confirm',
      entityType: 'plan_import',
      entityId: importId,
      after: { planId, tasks: graph.tasks.length, ...(diff ? { diff: countDiff(diff) } : {}) },
    });
    return { planId, taskCount: graph.tasks.length };
  });
}

/**
 * Imports a plan in one go, for the CLI and the demo seed: draft, then confirm when every
 * mention resolved. Returns the draft and, if confirmed, the plan.
 */
export async function importPlanText(
  db: DbOrTrx,
  actor: Actor | null,
  input: { text: string; filename?: string | null },
): Promise<{ draft: PlanImportDto; confirmed: ConfirmResult | null }> {
  const draft = await createPlanImport(db, actor, input);
  if (draft.unresolved.length > 0) return { draft, confirmed: null };
  return { draft, confirmed: await confirmPlanImport(db, actor, draft.id) };
}
