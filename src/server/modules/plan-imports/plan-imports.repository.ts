import type { Insertable, Updateable } from 'kysely';
import type { DbOrTrx } from '../../db/database.ts';
import { updateIfVersion } from '../../core/versioned-update.ts';
import type { PlanImportsTable } from '../../db/database.types.ts';

export function findPlanImportRow(db: DbOrTrx, importId: string) {
  return db.selectFrom('plan_imports').selectAll().where('id', '=', importId).executeTakeFirst();
}

export async function insertPlanImportRow(db: DbOrTrx, row: Insertable<PlanImportsTable>): Promise<void> {
  await db.insertInto('plan_imports').values(row).execute();
}

/** Returns the number of rows changed: 0 means the id is unknown or the version is stale. */
export async function updatePlanImportRow(
  db: DbOrTrx,
  importId: string,
  version: number,
  patch: Updateable<PlanImportsTable>,
): Promise<number> {
  return updateIfVersion(db, 'plan_imports', importId, version, patch);
}
