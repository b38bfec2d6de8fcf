/**
 * Publishing to the public portal as an act of the office: preview exactly what will be shown,
 * publish (the allow-listed payload frozen in `publications`), withdraw with a reason. And the
 * reads of the public portal, which use nothing but published payloads.
 */
import { createHash } from 'node:crypto';
import { todayInShanghai } from '../../../shared/china-date.ts';
import type {
  AssessmentPayload,
  BulletinPayload,
  OfficePublication,
  PeriodPayload,
  ProjectLibraryPayload,
  Publication,
  PublicationKind,
  PublishableSource,
  PublishBody,
  WithdrawBody,
} from '../../../shared/schemas/publication.schema.ts';
import { PeriodPayload as PeriodPayloadSchema } from '../../../shared/schemas/publication.schema.ts';
import type { Db, DbOrTrx } from '../../db/database.ts';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { newSortableId } from '../../core/ids.ts';
import { writeTx } from '../../core/transaction.ts';
import { getUser } from '../users/users.service.ts';
import { PUBLICATION_SOURCES, sourceOf } from './publication-kinds.ts';
import { isPublishableKind, toPublicPayload } from './public-fields.rule.ts';
import {
  assertCanPublish,
  assertCanPublishSource,
  assertCanWithdraw,
  planOfSource,
  plansOfPublications,
  publicationsInScope,
} from './publications.policy.ts';
import {
  findLiveBySource,
  findPublicationMeta,
  findPublicationPayload,
  insertPublicationRow,
  listLiveByScope,
  listPublicationMeta,
  type PublicationMetaRow,
  readPublicationsVersion,
  updatePublicationRow,
} from './publications.repository.ts';
import { districtSummaries, sectionSummaries, summarise } from './public-views.ts';

function toPublication(r: PublicationMetaRow): Publication {
  return {
    id: r.id,
    kind: r.kind as PublicationKind,
    sourceId: r.source_id,
    title: r.title,
    scopeId: r.scope_id,
    asOf: r.as_of,
    publishedAt: r.published_at,
    withdrawnAt: r.withdrawn_at,
    withdrawnReason: r.withdrawn_reason,
    etag: r.etag,
  };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Summaries the preview and the public overview show, from a public payload. */
export function overviewOf(payload: PeriodPayload) {
  return { summary: summarise(payload.tasks), districts: districtSummaries(payload), sections: sectionSummaries(payload) };
}

async function buildPublic(db: DbOrTrx, body: PublishBody, today: string) {
  if (!isPublishableKind(body.kind)) throw new AppError('unprocessable', `records of kind ${body.kind} cannot be published yet`);
  const built = await sourceOf(body.kind).build(db, body.sourceId, today);
  return { ...built, payload: toPublicPayload(body.kind, built.payload) };
}

/**
 * What the office could publish now, each with its live publication if it has one. `today` is the
 * server's date (LUOSHI_TODAY or the demo's clock): a project library is dated by it.
 */
export async function listPublishable(
  db: DbOrTrx,
  actor: Actor | null,
  today = todayInShanghai(),
): Promise<{ items: PublishableSource[] }> {
  assertCanPublish(actor);
  const items: PublishableSource[] = [];
  const plans: (string | null)[] = [];
  for (const source of Object.values(PUBLICATION_SOURCES)) {
    for (const r of await source.listPublishable(db, today)) {
      const live = await findLiveBySource(db, source.kind, r.sourceId);
      items.push({ kind: source.kind, sourceId: r.sourceId, title: r.title, asOf: r.asOf, publicationId: live?.id ?? null });
      plans.push((await planOfSource(db, source.kind, r.sourceId)) ?? null);
    }
  }
  // Tenancy: what the caller's own tenant may publish (publications.policy).
  const keep = await publicationsInScope(db, actor, plans, 'write');
  return { items: items.filter((_, i) => keep[i]) };
}

/** Exactly what publishing `body` would show, without publishing it. */
export async function previewPublication(db: DbOrTrx, actor: Actor | null, body: PublishBody, today = todayInShanghai()) {
  assertCanPublish(actor);
  await assertCanPublishSource(db, actor, body.kind, body.sourceId);
  const built = await buildPublic(db, body, today);
  // Only a period has status summaries; other kinds preview their payload as it will be shown.
  if (body.kind !== 'period')
    return {
      title: built.title,
      asOf: built.asOf,
      summary: null,
      districts: [],
      sections: [],
      payload: built.payload as AssessmentPayload | BulletinPayload | ProjectLibraryPayload,
    };
  const payload = built.payload as PeriodPayload;
  return { title: built.title, asOf: built.asOf, ...overviewOf(payload), payload };
}

/**
 * Publishes a record: its allow-listed payload frozen now. 409 while a live publication of it
 * exists. `today`: the server's date, as for listPublishable.
 */
export async function publish(
  db: Db,
  actor: Actor | null,
  body: PublishBody,
  now = new Date(),
  today = todayInShanghai(),
): Promise<Publication> {
  return writeTx(db, async (trx) => {
    assertCanPublish(actor);
    await assertCanPublishSource(trx, actor, body.kind, body.sourceId);
    if (await findLiveBySource(trx, body.kind, body.sourceId)) {
      throw new AppError('conflict', 'this record is already published; withdraw it first to publish it again');
    }
    const built = await buildPublic(trx, body, today);
    const payloadJson = JSON.stringify(built.payload);
    const row = {
      id: newSortableId(),
      kind: body.kind,
      source_id: body.sourceId,
      scope_id: built.scopeId,
      as_of: built.asOf,
      title: built.title,
      payload_json: payloadJson,
      etag: sha256(payloadJson).slice(0, 32),
      published_at: now.toISOString(),
      published_by: actor.userId,
      withdrawn_at: null,
      withdrawn_by: null,
      withdrawn_reason: null,
    };
    await insertPublicationRow(trx, row);
    const publication = toPublication(row);
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'publication.publish',
      entityType: 'publication',
      entityId: row.id,
      before: null,
      after: { ...publication, payloadSha256: sha256(payloadJson) },
    });
    return publication;
  });
}

/** Withdraws a publication with a reason; the public page then says so. 409 when already withdrawn. */
export async function withdraw(db: Db, actor: Actor | null, id: string, body: WithdrawBody, now = new Date()): Promise<Publication> {
  return writeTx(db, async (trx) => {
    assertCanPublish(actor);
    const before = await findPublicationMeta(trx, id);
    if (!before) throw new AppError('not_found', 'publication not found');
    await assertCanWithdraw(trx, actor, before.kind, before.scope_id);
    if (before.withdrawn_at) throw new AppError('conflict', 'the publication is already withdrawn');
    const at = now.toISOString();
    const patch = {
      withdrawn_at: at,
      withdrawn_by: actor.userId,
      withdrawn_reason: body.reason,
      etag: sha256(`${before.etag}:${at}`).slice(0, 32),
    };
    if ((await updatePublicationRow(trx, id, patch)) === 0) throw new AppError('conflict', 'the publication is already withdrawn');
    const after = { ...before, ...patch };
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'publication.withdraw',
      entityType: 'publication',
      entityId: id,
      before: toPublication(before),
      after: toPublication(after),
    });
    return toPublication(after);
  });
}

async function nameOf(db: DbOrTrx, userId: string | null): Promise<string | null> {
  if (!userId) return null;
  try {
    return (await getUser(db, userId)).displayName;
  } catch {
    return null;
  }
}

/** The office's list: every publication with who published and withdrew it. */
export async function listOfficePublications(db: DbOrTrx, actor: Actor | null): Promise<{ items: OfficePublication[] }> {
  assertCanPublish(actor);
  const all = await listPublicationMeta(db);
  const keep = await publicationsInScope(db, actor, await plansOfPublications(db, all), 'read');
  const rows = all.filter((_, i) => keep[i]);
  const items: OfficePublication[] = [];
  for (const r of rows) {
    items.push({ ...toPublication(r), publishedBy: await nameOf(db, r.published_by), withdrawnBy: await nameOf(db, r.withdrawn_by) });
  }
  return { items };
}

// ---- public reads (no actor: only published payloads) ----

// Parsed payloads by id and etag: a publication never changes but for its withdrawal, which
// changes the etag. Bounded, so many publications cannot grow it without limit.
const payloadCache = new Map<string, PeriodPayload>();
const CACHE_MAX = 64;

async function payloadOf(db: DbOrTrx, meta: PublicationMetaRow): Promise<PeriodPayload> {
  const key = `${meta.id}:${meta.etag}`;
  const hit = payloadCache.get(key);
  if (hit) return hit;
  const json = await findPublicationPayload(db, meta.id);
  if (json === undefined) throw new AppError('not_found', 'publication not found');
  // Stored payloads were projected when published; parsing again checks the stored text is still
  // the kind's public shape (a hand-edited row cannot add fields).
  const payload = PeriodPayloadSchema.parse(JSON.parse(json));
  if (payloadCache.size >= CACHE_MAX) payloadCache.delete(payloadCache.keys().next().value!);
  payloadCache.set(key, payload);
  return payload;
}

/** Every publication for the catalogue and the feed, newest first (withdrawn ones say so). */
export async function listPublicPublications(db: DbOrTrx): Promise<Publication[]> {
  return (await listPublicationMeta(db)).map(toPublication);
}

/** A publication and its payload; the payload is null once withdrawn. 404 when unknown. */
export async function getPublicPublication(db: DbOrTrx, id: string): Promise<{ publication: Publication; payload: PeriodPayload | null }> {
  const meta = await findPublicationMeta(db, id);
  if (meta?.kind !== 'period') throw new AppError('not_found', 'publication not found');
  // (kinds other than period get their own reader when they are registered)
  return { publication: toPublication(meta), payload: meta.withdrawn_at ? null : await payloadOf(db, meta) };
}

/** The payload type of each kind read by getPublicKindPublication. */
export interface KindPayloads {
  assessment: AssessmentPayload;
  bulletin: BulletinPayload;
  project_library: ProjectLibraryPayload;
}

/**
 * A publication of `kind` (assessment, bulletin or project library) and its payload, parsed again
 * through the kind's allow-list; the payload is null once withdrawn. 404 when unknown or of another kind.
 */
export async function getPublicKindPublication<K extends keyof KindPayloads>(
  db: DbOrTrx,
  id: string,
  kind: K,
): Promise<{ publication: Publication; payload: KindPayloads[K] | null }> {
  const meta = await findPublicationMeta(db, id);
  if (meta?.kind !== kind) throw new AppError('not_found', 'publication not found');
  if (meta.withdrawn_at) return { publication: toPublication(meta), payload: null };
  const json = await findPublicationPayload(db, meta.id);
  if (json === undefined) throw new AppError('not_found', 'publication not found');
  const payload = toPublicPayload(kind, JSON.parse(json)) as KindPayloads[K];
  return { publication: toPublication(meta), payload };
}

/** Every publication of `kind` with its payload (null once withdrawn), newest first: the portal's rankings, bulletins and projects pages. */
export async function listPublicKindPublications<K extends keyof KindPayloads>(db: DbOrTrx, kind: K) {
  const out = [];
  for (const p of (await listPublicationMeta(db)).filter((r) => r.kind === kind)) out.push(await getPublicKindPublication(db, p.id, kind));
  return out;
}

/** The newest live publication of `kind` (a portal section's front page), or null. */
export async function latestLiveOfKind(db: DbOrTrx, kind: PublicationKind): Promise<Publication | null> {
  const live = (await listPublicationMeta(db)).filter((r) => !r.withdrawn_at && r.kind === kind);
  live.sort((a, b) => (b.as_of ?? '').localeCompare(a.as_of ?? '') || b.published_at.localeCompare(a.published_at));
  return live[0] ? toPublication(live[0]) : null;
}

/** The newest live period publication (the portal's front page), or null. */
export async function latestLivePublication(db: DbOrTrx): Promise<Publication | null> {
  const live = (await listPublicationMeta(db)).filter((r) => !r.withdrawn_at && r.kind === 'period');
  live.sort((a, b) => (b.as_of ?? '').localeCompare(a.as_of ?? '') || b.published_at.localeCompare(a.published_at));
  return live[0] ? toPublication(live[0]) : null;
}

/** A task across every live published period of its plan: the public timeline. */
export async function publicTimeline(db: DbOrTrx, scopeId: string, taskId: string) {
  const out = [];
  for (const meta of await listLiveByScope(db, 'period', scopeId)) {
    const payload = await payloadOf(db, meta);
    const task = payload.tasks.find((t) => t.id === taskId);
    if (task)
      out.push({
        publicationId: meta.id,
        periodLabel: payload.period.label,
        asOf: meta.as_of,
        status: task.status,
        progress: task.progress,
      });
  }
  return out;
}

/** A token that changes whenever anything public changes (a publication added or withdrawn). */
export function publicationsVersion(db: DbOrTrx): Promise<string> {
  return readPublicationsVersion(db);
}
