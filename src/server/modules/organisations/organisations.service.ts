import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { OrgKind } from '../../../shared/enums.ts';
import type {
  CreateOrganisationBody,
  ImportRegistryResult,
  Organisation,
  OrgRegistryFile,
  UpdateOrganisationBody,
} from '../../../shared/schemas/organisation.schema.ts';
import type { DbOrTrx } from '../../db/database.ts';
import type { OrganisationRow } from '../../db/database.types.ts';
import { isForeignKeyViolation, isUniqueViolation } from '../../db/db-errors.ts';
import { AppError } from '../../core/app-error.ts';
import type { Actor } from '../../core/actor.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { writeTx } from '../../core/transaction.ts';
import {
  countOrganisationUses,
  deleteOrganisationIfVersion,
  findExistingOrganisationIds,
  findOrganisationById,
  findOrganisationByName,
  insertOrganisation,
  listGroupMemberRows,
  listMembers,
  listOrganisationKindRows,
  listOrganisationNameRows,
  listOrganisationRows,
  listParentLinks,
  listTenantIdsOf,
  replaceMembers,
  setOrganisationFields,
  updateOrganisationIfVersion,
} from './organisations.repository.ts';
import { assertCanAdministerOrganisation, assertCanReadOrganisation, tenantForNewOrganisation } from './organisations.policy.ts';
import { scopeOf, SYSTEM_SCOPE } from './tenancy.service.ts';
import { canAdministerTenant, type TenancyScope } from '../../core/tenancy.rule.ts';

export {
  declareTenant,
  listTenants,
  orgIdsAdministered,
  orgIdsInScope,
  orgIdsOfTenant,
  scopeOf,
  subtreeOf,
  tenantOf,
  tenantsOfOrgs,
} from './tenancy.service.ts';

type ImportResult = z.infer<typeof ImportRegistryResult>;

function toDto(row: OrganisationRow, memberIds: string[]): Organisation {
  return {
    id: row.id,
    name: row.name,
    aliases: parseAliases(row.aliases),
    kind: row.kind,
    adminCode: row.admin_code,
    parentId: row.parent_id,
    memberIds,
    tenantId: row.tenant_id ?? null,
    version: Number(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function parseAliases(text: string): string[] {
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

/** Aliases without blanks, duplicates or the name itself: the parser matches on them. */
function cleanAliases(name: string, aliases: string[]): string[] {
  return [...new Set(aliases.map((a) => a.trim()).filter((a) => a && a !== name))];
}

function invalid(path: string, message: string): AppError {
  return new AppError('validation', message, { errors: [{ path, message }] });
}

async function loadDto(db: DbOrTrx, row: OrganisationRow): Promise<Organisation> {
  const members = await listMembers(db, [row.id]);
  return toDto(row, members.get(row.id) ?? []);
}

/**
 * Lists organisations by name, optionally filtered by kind, tenants and a substring of the name or
 * an alias. With `actor`, only those of tenants the actor reads (organisations.policy); internal callers
 * that pass no actor see the whole registry.
 */
export async function listOrganisations(
  db: DbOrTrx,
  filter: { q?: string; kind?: OrgKind; tenantIds?: readonly string[] } = {},
  actor?: Actor | null,
): Promise<{ items: Organisation[]; total: number }> {
  const scope = actor === undefined ? SYSTEM_SCOPE : await scopeOf(db, actor);
  const { tenantIds: wanted, ...rest } = filter;
  const readable = scope.unrestricted ? undefined : [...scope.readable];
  // Both narrow: the tenants asked for, among those the actor reads. A list left empty matches none.
  const tenantIds =
    wanted === undefined ? readable : readable === undefined ? [...wanted] : readable.filter((id) => id !== null && wanted.includes(id));
  if (tenantIds !== undefined && tenantIds.length === 0) return { items: [], total: 0 };
  const rows = await listOrganisationRows(db, tenantIds === undefined ? rest : { ...rest, tenantIds });
  const groups = rows.filter((r) => r.kind === 'group').map((r) => r.id);
  const members = await listMembers(db, groups);
  const items = rows.map((r) => toDto(r, members.get(r.id) ?? []));
  return { items, total: items.length };
}

/** One organisation with its group members; 404 if absent (or, with `actor`, outside their scope). */
export async function getOrganisation(db: DbOrTrx, id: string, actor?: Actor | null): Promise<Organisation> {
  const row = await findOrganisationById(db, id);
  if (!row) throw new AppError('not_found', 'organisation not found');
  if (actor !== undefined) assertCanReadOrganisation(await scopeOf(db, actor), row.tenant_id ?? null);
  return loadDto(db, row);
}

// Members of a group must be organisations the actor administers; others read as unknown, as
// they would if they did not exist (no confirmation of another city's ids).
async function assertMembersInScope(db: DbOrTrx, scope: TenancyScope, memberIds: string[]): Promise<void> {
  if (scope.unrestricted || memberIds.length === 0) return;
  const tenants = await listTenantIdsOf(db, memberIds);
  const outside = memberIds.filter((m) => tenants.has(m) && !canAdministerTenant(scope, tenants.get(m) ?? null));
  if (outside.length > 0) throw invalid('memberIds', `unknown organisations: ${outside.join(', ')}`);
}

// The tenant of a referenced parent, checked against what the actor administers.
async function parentTenant(db: DbOrTrx, scope: TenancyScope, parentId: string | null): Promise<string | null | undefined> {
  if (parentId === null) return undefined;
  const parent = await findOrganisationById(db, parentId);
  if (!parent) return undefined; // validateLinks answers "unknown parent"
  assertCanAdministerOrganisation(scope, parent.tenant_id ?? null);
  return parent.tenant_id ?? null;
}

/** Whether an organisation exists: for other modules validating references. */
export async function hasOrganisation(db: DbOrTrx, id: string): Promise<boolean> {
  return (await findOrganisationById(db, id)) !== undefined;
}

// Checks shared by create and update: references exist, members only on groups, no cycles.
async function validateLinks(db: DbOrTrx, selfId: string, kind: string, parentId: string | null, memberIds: string[]): Promise<void> {
  if (memberIds.length > 0 && kind !== 'group') throw invalid('memberIds', 'only a group has members');
  if (memberIds.includes(selfId)) throw invalid('memberIds', 'a group cannot be its own member');
  const unique = [...new Set(memberIds)];
  const existing = await findExistingOrganisationIds(db, unique);
  const missing = unique.filter((m) => !existing.has(m));
  if (missing.length > 0) throw invalid('memberIds', `unknown organisations: ${missing.join(', ')}`);
  if (parentId !== null) {
    if (parentId === selfId) throw invalid('parentId', 'an organisation cannot be its own parent');
    const parents = await listParentLinks(db);
    if (!parents.has(parentId)) throw invalid('parentId', 'unknown parent organisation');
    const seen = new Set<string>([selfId]);
    for (let p: string | null | undefined = parentId; p; p = parents.get(p)) {
      if (seen.has(p)) throw invalid('parentId', 'the parent chain would form a cycle');
      seen.add(p);
    }
  }
}

function rethrowConstraint(err: unknown, name: string | undefined): never {
  if (isUniqueViolation(err)) throw new AppError('conflict', `an organisation named "${name}" already exists`);
  if (isForeignKeyViolation(err)) throw new AppError('conflict', 'the organisation is referenced by other records');
  throw err;
}

/** Creates an organisation (and its group members); audited. 409 if the name is taken. */
export async function createOrganisation(db: DbOrTrx, actor: Actor | null, body: CreateOrganisationBody): Promise<Organisation> {
  const id = randomUUID();
  const now = new Date().toISOString();
  try {
    return await writeTx(db, async (trx) => {
      const memberIds = [...new Set(body.memberIds)];
      const scope = await scopeOf(trx, actor);
      const tenantId = tenantForNewOrganisation(actor, scope, await parentTenant(trx, scope, body.parentId));
      // Names are unique within a tenant's registry: another city may have its own 住建局.
      if (await findOrganisationByName(trx, tenantId, body.name)) {
        throw new AppError('conflict', `an organisation named "${body.name}" already exists`);
      }
      await assertMembersInScope(trx, scope, memberIds);
      await validateLinks(trx, id, body.kind, body.parentId, memberIds);
      await insertOrganisation(trx, {
        tenant_id: tenantId,
        id,
        name: body.name,
        aliases: JSON.stringify(cleanAliases(body.name, body.aliases)),
        kind: body.kind,
        admin_code: body.adminCode,
        parent_id: body.parentId,
        version: 1,
        created_at: now,
        updated_at: now,
      });
      await replaceMembers(trx, id, memberIds);
      const after = await getOrganisation(trx, id);
      await appendAudit(trx, {
        actorId: actor?.userId ?? null,
        action: 'organisation.create',
        entityType: 'organisation',
        entityId: id,
        after,
      });
      return after;
    });
  } catch (err) {
    rethrowConstraint(err, body.name);
  }
}

/** Applies a partial update if `version` is current; 409 with the current row if not. Audited. */
export async function updateOrganisation(
  db: DbOrTrx,
  actor: Actor | null,
  id: string,
  body: UpdateOrganisationBody,
): Promise<Organisation> {
  try {
    return await writeTx(db, async (trx) => {
      const before = await getOrganisation(trx, id);
      const scope = await scopeOf(trx, actor);
      assertCanAdministerOrganisation(scope, before.tenantId ?? null);
      if (before.version !== body.version) {
        throw new AppError('version_conflict', 'the organisation was changed by someone else', { current: before });
      }
      const name = body.name ?? before.name;
      const kind = body.kind ?? before.kind;
      const parentId = body.parentId !== undefined ? body.parentId : before.parentId;
      const memberIds = body.memberIds !== undefined ? [...new Set(body.memberIds)] : before.memberIds;
      if (name !== before.name) {
        const clash = await findOrganisationByName(trx, before.tenantId ?? null, name);
        if (clash && clash.id !== id) throw new AppError('conflict', `an organisation named "${name}" already exists`);
      }
      if (parentId !== before.parentId) await parentTenant(trx, scope, parentId);
      if (body.memberIds !== undefined) await assertMembersInScope(trx, scope, memberIds);
      await validateLinks(trx, id, kind, parentId, memberIds);
      const updated = await updateOrganisationIfVersion(trx, id, body.version, {
        name,
        kind,
        aliases: JSON.stringify(cleanAliases(name, body.aliases ?? before.aliases)),
        admin_code: body.adminCode !== undefined ? body.adminCode : before.adminCode,
        parent_id: parentId,
        updated_at: new Date().toISOString(),
      });
      if (!updated) {
        throw new AppError('version_conflict', 'the organisation was changed by someone else', {
          current: await getOrganisation(trx, id),
        });
      }
      if (body.memberIds !== undefined) await replaceMembers(trx, id, memberIds);
      const after = await getOrganisation(trx, id);
      await appendAudit(trx, {
        actorId: actor?.userId ?? null,
        action: 'organisation.update',
        entityType: 'organisation',
        entityId: id,
        before,
        after,
      });
      return after;
    });
  } catch (err) {
    rethrowConstraint(err, body.name);
  }
}

/**
 * What other modules hold of an organisation, asked before it is deleted: plans' assignments and
 * targets for its jurisdiction, users' accounts placed in it. Passed in by the caller
 * (modules/index.ts gives plans' query and users' count) so organisations depends on neither:
 * both depend on organisations.
 */
export interface OrganisationUseChecks {
  countPlanUses(db: DbOrTrx, orgId: string): Promise<{ assignments: number; targets: number }>;
  countUsers(db: DbOrTrx, orgId: string): Promise<number>;
}

/**
 * Deletes an organisation that nothing refers to (users, assignments, targets, child
 * organisations); 409 otherwise, or when `version` is stale. Group memberships go with it.
 */
export async function deleteOrganisation(
  db: DbOrTrx,
  actor: Actor | null,
  id: string,
  version: number,
  uses: OrganisationUseChecks,
): Promise<void> {
  try {
    await writeTx(db, async (trx) => {
      const before = await getOrganisation(trx, id);
      assertCanAdministerOrganisation(await scopeOf(trx, actor), before.tenantId ?? null);
      if (before.version !== version) {
        throw new AppError('version_conflict', 'the organisation was changed by someone else', { current: before });
      }
      // Same keys, same order as before the plans counts moved to plans: the 409 lists them so.
      const [own, users, planUses] = await Promise.all([
        countOrganisationUses(trx, id),
        uses.countUsers(trx, id),
        uses.countPlanUses(trx, id),
      ]);
      const counts = { users, assignments: planUses.assignments, targets: planUses.targets, children: own.children };
      const inUse = Object.entries(counts).filter(([, n]) => n > 0);
      if (inUse.length > 0) {
        const what = inUse.map(([k, n]) => `${n} ${k}`).join(', ');
        throw new AppError('conflict', `the organisation is in use (${what})`, { uses: counts });
      }
      if (!(await deleteOrganisationIfVersion(trx, id, version))) {
        throw new AppError('version_conflict', 'the organisation was changed by someone else', {
          current: await getOrganisation(trx, id),
        });
      }
      await appendAudit(trx, {
        actorId: actor?.userId ?? null,
        action: 'organisation.delete',
        entityType: 'organisation',
        entityId: id,
        before,
      });
    });
  } catch (err) {
    rethrowConstraint(err, undefined);
  }
}

/**
 * The registry as the plan parser reads it (the format of the registry in samples/). Ids are the
 * app's UUIDs; importing the file again matches every row by name, so the round trip is stable.
 */
export async function exportRegistry(db: DbOrTrx, actor?: Actor | null): Promise<OrgRegistryFile> {
  const { items } = await listOrganisations(db, {}, actor);
  // A parent or member outside the actor's scope (a city's province) is left out: the file
  // names only what it holds, so it imports again.
  const inFile = new Set(items.map((o) => o.id));
  return {
    organisations: items.map((o) => ({
      id: o.id,
      name: o.name,
      aliases: o.aliases,
      kind: o.kind,
      ...(o.adminCode ? { adminCode: o.adminCode } : {}),
      ...(o.parentId && inFile.has(o.parentId) ? { parentId: o.parentId } : {}),
      ...(o.kind === 'group' ? { members: o.memberIds.filter((m) => inFile.has(m)) } : {}),
    })),
  };
}

interface PlannedOrg {
  entry: OrgRegistryFile['organisations'][number];
  index: number;
  id: string;
  existing: Organisation | undefined;
}

/**
 * Imports a registry file: rows are matched to existing organisations by name (then by id, for
 * a file exported from this app), created otherwise; file ids (slugs) are mapped to app ids for
 * parents and members. Unchanged rows are left alone. One transaction, one audit event per change.
 */
export async function importRegistry(db: DbOrTrx, actor: Actor | null, file: OrgRegistryFile): Promise<ImportResult> {
  const entries = file.organisations;
  const seenIds = new Map<string, number>();
  const seenNames = new Map<string, number>();
  entries.forEach((e, i) => {
    if (seenIds.has(e.id)) throw invalid(`organisations.${i}.id`, `duplicate id "${e.id}"`);
    if (seenNames.has(e.name)) throw invalid(`organisations.${i}.name`, `duplicate name "${e.name}"`);
    seenIds.set(e.id, i);
    seenNames.set(e.name, i);
  });

  return importRegistryRows(db, actor, entries, seenNames).catch((err: unknown) => {
    if (isUniqueViolation(err)) throw new AppError('conflict', 'a name in the file is already taken in the registry');
    throw err;
  });
}

// The import's one transaction. Names are unique per tenant, so a name another city holds is
// no clash; a unique violation left (a concurrent writer) is a 409, not a 500.
async function importRegistryRows(
  db: DbOrTrx,
  actor: Actor | null,
  entries: OrgRegistryFile['organisations'],
  seenNames: Map<string, number>,
): Promise<ImportResult> {
  return writeTx(db, async (trx) => {
    // Rows of other tenants are neither matched nor changed: the import works within what the
    // actor administers, and new rows belong to the actor's tenant.
    const scope = await scopeOf(trx, actor);
    const all = (await listOrganisations(trx, {}, actor)).items.filter((o) => canAdministerTenant(scope, o.tenantId ?? null));
    const byName = new Map(all.map((o) => [o.name, o]));
    const byId = new Map(all.map((o) => [o.id, o]));
    const claimed = new Set<string>();

    const planned: PlannedOrg[] = entries.map((entry, index) => {
      let existing = byName.get(entry.name);
      if (!existing) {
        const sameId = byId.get(entry.id);
        // Only fall back to the id when no other row of the file claims that organisation by name.
        if (sameId && !seenNames.has(sameId.name)) existing = sameId;
      }
      if (existing) {
        if (claimed.has(existing.id)) throw invalid(`organisations.${index}.id`, 'two rows match the same organisation');
        claimed.add(existing.id);
      }
      return { entry, index, id: existing?.id ?? randomUUID(), existing };
    });
    const idOf = new Map(planned.map((p) => [p.entry.id, p.id]));
    const resolve = (ref: string, path: string): string => {
      const mapped = idOf.get(ref) ?? (byId.has(ref) ? ref : undefined);
      if (!mapped) throw invalid(path, `unknown organisation "${ref}"`);
      return mapped;
    };

    const desired = planned.map((p) => {
      const e = p.entry;
      const parentId = e.parentId ? resolve(e.parentId, `organisations.${p.index}.parentId`) : null;
      const memberIds = [...new Set((e.members ?? []).map((m, j) => resolve(m, `organisations.${p.index}.members.${j}`)))];
      if (memberIds.length > 0 && e.kind !== 'group') throw invalid(`organisations.${p.index}.members`, 'only a group has members');
      if (memberIds.includes(p.id)) throw invalid(`organisations.${p.index}.members`, 'a group cannot be its own member');
      return { ...p, parentId, memberIds, aliases: cleanAliases(e.name, e.aliases), adminCode: e.adminCode ?? null };
    });

    // Cycle check over the tree as it will be after the import.
    const parents = new Map<string, string | null>(all.map((o) => [o.id, o.parentId]));
    for (const d of desired) parents.set(d.id, d.parentId);
    for (const d of desired) {
      const seen = new Set<string>();
      for (let cur: string | null | undefined = d.id; cur; cur = parents.get(cur)) {
        if (seen.has(cur)) throw invalid(`organisations.${d.index}.parentId`, 'the parent chain forms a cycle');
        seen.add(cur);
      }
    }

    const now = new Date().toISOString();
    let created = 0;
    let updated = 0;
    // Insert new rows first without links, so parents and members can point at any row of the file.
    for (const d of desired.filter((x) => !x.existing)) {
      await insertOrganisation(trx, {
        id: d.id,
        name: d.entry.name,
        aliases: JSON.stringify(d.aliases),
        kind: d.entry.kind,
        admin_code: d.adminCode,
        parent_id: null,
        tenant_id: actor ? scope.tenantId : null,
        version: 1,
        created_at: now,
        updated_at: now,
      });
    }
    for (const d of desired) {
      const before = d.existing;
      if (!before) {
        await setOrganisationFields(trx, d.id, { parent_id: d.parentId });
        await replaceMembers(trx, d.id, d.memberIds);
        const after = await getOrganisation(trx, d.id);
        await appendAudit(trx, {
          actorId: actor?.userId ?? null,
          action: 'organisation.import',
          entityType: 'organisation',
          entityId: d.id,
          after,
        });
        created += 1;
        continue;
      }
      const sameMembers =
        before.memberIds.length === d.memberIds.length && [...d.memberIds].sort().every((m, i) => m === [...before.memberIds].sort()[i]);
      const unchanged =
        before.kind === d.entry.kind &&
        before.adminCode === d.adminCode &&
        before.parentId === d.parentId &&
        JSON.stringify(before.aliases) === JSON.stringify(d.aliases) &&
        sameMembers;
      if (unchanged) continue;
      await updateOrganisationIfVersion(trx, d.id, before.version, {
        kind: d.entry.kind,
        aliases: JSON.stringify(d.aliases),
        admin_code: d.adminCode,
        parent_id: d.parentId,
        updated_at: now,
      });
      if (!sameMembers) await replaceMembers(trx, d.id, d.memberIds);
      const after = await getOrganisation(trx, d.id);
      await appendAudit(trx, {
        actorId: actor?.userId ?? null,
        action: 'organisation.import',
        entityType: 'organisation',
        entityId: d.id,
        before,
        after,
      });
      updated += 1;
    }
    return { created, updated };
  });
}

/** Members of every group, with the member's name, kind and division code (the ledger expands group rows with it, in memory). */
export function listGroupMembers(db: DbOrTrx) {
  return listGroupMemberRows(db);
}

/** Kind and division code of every organisation (the dashboard's district axis is kind 'jurisdiction'). */
export function listOrganisationKinds(db: DbOrTrx) {
  return listOrganisationKindRows(db);
}

/** The names of the given organisations, by id (how other modules name an organisation on their rows). */
export async function listOrganisationNames(db: DbOrTrx, ids: readonly string[]): Promise<Map<string, string>> {
  return new Map((await listOrganisationNameRows(db, ids)).map((o) => [o.id, o.name]));
}
