/** The `publications` table (owned by this module). */
import type { Insertable, Updateable } from 'kysely';
import type { DbOrTrx } from '../../db/database.ts';
import type { PublicationsTable } from '../../db/database.types.ts';

const META = [
  'id',
  'kind',
  'source_id',
  'scope_id',
  'as_of',
  'title',
  'etag',
  'published_at',
  'published_by',
  'withdrawn_at',
  'withdrawn_by',
  'withdrawn_reason',
] as const;

export type PublicationMetaRow = Omit<PublicationsTable, 'payload_json'>;

export async function insertPublicationRow(db: DbOrTrx, row: Insertable<PublicationsTable>): Promise<void> {
  await db.insertInto('publications').values(row).execute();
}

/** Everything but the payload: what a public request checks before using its cached payload. */
export function findPublicationMeta(db: DbOrTrx, id: string): Promise<PublicationMetaRow | undefined> {
  return db.selectFrom('publications').select(META).where('id', '=', id).executeTakeFirst();
}

export async function findPublicationPayload(db: DbOrTrx, id: string): Promise<string | undefined> {
  return (await db.selectFrom('publications').select('payload_json').where('id', '=', id).executeTakeFirst())?.payload_json;
}

/** Every publication, newest first (live and withdrawn). */
export function listPublicationMeta(db: DbOrTrx): Promise<PublicationMetaRow[]> {
  return db.selectFrom('publications').select(META).orderBy('published_at', 'desc').orderBy('id', 'desc').execute();
}

/** Live (not withdrawn) publications of one kind and scope, by the day they stand for. */
export function listLiveByScope(db: DbOrTrx, kind: string, scopeId: string): Promise<PublicationMetaRow[]> {
  return db
    .selectFrom('publications')
    .select(META)
    .where('kind', '=', kind)
    .where('scope_id', '=', scopeId)
    .where('withdrawn_at', 'is', null)
    .orderBy('as_of')
    .orderBy('published_at')
    .execute();
}

export function findLiveBySource(db: DbOrTrx, kind: string, sourceId: string): Promise<PublicationMetaRow | undefined> {
  return db
    .selectFrom('publications')
    .select(META)
    .where('kind', '=', kind)
    .where('source_id', '=', sourceId)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
}

/** Marks a live publication withdrawn; 0 when it was withdrawn meanwhile. */
export async function updatePublicationRow(db: DbOrTrx, id: string, patch: Updateable<PublicationsTable>): Promise<number> {
  const res = await db.updateTable('publications').set(patch).where('id', '=', id).where('withdrawn_at', 'is', null).executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Changes whenever a publication is added or withdrawn: the key of cached public responses. */
export async function readPublicationsVersion(db: DbOrTrx): Promise<string> {
  const row = await db
    .selectFrom('publications')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('published_at').as('p'), eb.fn.max('withdrawn_at').as('w')])
    .executeTakeFirst();
  return `${Number(row?.n ?? 0)}:${row?.p ?? ''}:${row?.w ?? ''}`;
}
