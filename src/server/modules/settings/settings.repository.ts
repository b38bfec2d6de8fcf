/** The one installation_settings row (id = 1); only the settings module reads or writes it. */
import type { DbOrTrx } from '../../db/database.ts';
import type { InstallationSettingsTable } from '../../db/database.types.ts';

const ROW_ID = 1;

export function findSettingsRow(db: DbOrTrx): Promise<InstallationSettingsTable | undefined> {
  return db.selectFrom('installation_settings').selectAll().where('id', '=', ROW_ID).executeTakeFirst();
}

/** Optimistic update: 0 when `version` is stale. */
export async function updateSettingsRow(
  db: DbOrTrx,
  version: number,
  patch: { name?: string; office_name?: string; updated_at: string },
): Promise<number> {
  const res = await db
    .updateTable('installation_settings')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', ROW_ID)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
