/** The installation's name and office name: read by everyone, edited by the admin, audited. */
import { todayInShanghai } from '../../../shared/china-date.ts';
import type { InstallationSettings, PublicSettings, UpdateSettingsBody } from '../../../shared/schemas/settings.schema.ts';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { type DbOrTrx, writeTx } from '../../core/transaction.ts';
import type { InstallationSettingsTable } from '../../db/database.types.ts';
import { assertCanEditInstallation, canEditInstallation, officeNameFor } from './settings.policy.ts';
import { findSettingsRow, updateSettingsRow } from './settings.repository.ts';

export { assertCanEditInstallation, canEditInstallation } from './settings.policy.ts';

async function readRow(db: DbOrTrx): Promise<InstallationSettingsTable> {
  const row = await findSettingsRow(db);
  // The migration inserts the row; its absence is a broken database, not a user error.
  if (!row) throw new Error('installation_settings row 1 is missing');
  return row;
}

function toSettings(row: InstallationSettingsTable, today: string | undefined, canEdit: boolean): InstallationSettings {
  return {
    canEdit,
    name: row.name,
    officeName: row.office_name,
    today: today ?? todayInShanghai(),
    version: Number(row.version),
    updatedAt: row.updated_at,
  };
}

/**
 * The settings with the server's today (`configuredToday` = LUOSHI_TODAY when set). With `actor`
 * of a city under a province, the office name is that city's office (settings.policy `officeNameFor`).
 */
export async function getSettings(db: DbOrTrx, configuredToday: string | undefined, actor?: Actor | null): Promise<InstallationSettings> {
  const settings = toSettings(await readRow(db), configuredToday, await canEditInstallation(db, actor ?? null));
  const own = await officeNameFor(db, actor ?? null);
  return own === null ? settings : { ...settings, officeName: own };
}

/** The name only, for the login page (no session). */
export async function getPublicSettings(db: DbOrTrx): Promise<PublicSettings> {
  return { name: (await readRow(db)).name };
}

/** Renames the installation or its office. A stale `version` gets 409 with the settings as they are. */
export async function updateSettings(
  db: DbOrTrx,
  actor: Actor | null,
  body: UpdateSettingsBody,
  configuredToday: string | undefined,
): Promise<InstallationSettings> {
  return writeTx(db, async (trx) => {
    await assertCanEditInstallation(trx, actor);
    const before = await readRow(trx);
    const changed = await updateSettingsRow(trx, body.version, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.officeName !== undefined ? { office_name: body.officeName } : {}),
      updated_at: new Date().toISOString(),
    });
    if (changed === 0) {
      throw new AppError('version_conflict', 'the settings were changed by someone else; reload them', {
        current: toSettings(before, configuredToday, true),
      });
    }
    const after = await readRow(trx);
    await appendAudit(trx, {
      actorId: actor?.userId ?? null,
      action: 'settings.update',
      entityType: 'installation_settings',
      entityId: String(after.id),
      before: { name: before.name, officeName: before.office_name, version: Number(before.version) },
      after: { name: after.name, officeName: after.office_name, version: Number(after.version) },
    });
    return toSettings(after, configuredToday, true);
  });
}

/**
 * Writes the installation's name and office name for a seed (the demo): audited like an admin's
 * edit, attributed to no one. Runs inside the caller's transaction when there is one.
 */
export async function seedInstallationSettings(db: DbOrTrx, values: { name: string; officeName: string }): Promise<void> {
  await writeTx(db, async (trx) => {
    const row = await readRow(trx);
    await updateSettingsRow(trx, Number(row.version), {
      name: values.name,
      office_name: values.officeName,
      updated_at: new Date().toISOString(),
    });
    await appendAudit(trx, {
      actorId: null,
      action: 'settings.update',
      entityType: 'installation_settings',
      entityId: String(row.id),
      before: { name: row.name, officeName: row.office_name, version: Number(row.version) },
      after: { name: values.name, officeName: values.officeName, version: Number(row.version) + 1 },
    });
  });
}
