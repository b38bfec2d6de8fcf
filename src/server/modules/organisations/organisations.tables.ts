import type { Selectable } from 'kysely';
import type { OrgKind } from '../../../shared/enums.ts';

/** The organisations module's tables; merged into db/database.types.ts `Database`. */
export interface OrganisationsTables {
  organisations: OrganisationsTable;
  organisation_members: OrganisationMembersTable;
  tenants: TenantsTable;
}

export interface OrganisationsTable {
  id: string;
  name: string;
  /** JSON array of strings. */
  aliases: string;
  kind: OrgKind;
  admin_code: string | null;
  parent_id: string | null;
  /** The tenant this organisation belongs to (a tenant itself: its own id); null before any is declared (docs/decisions/0006-tenancy.md). */
  tenant_id: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

/** A group's members (各县区政府 → each county). */
export interface OrganisationMembersTable {
  group_id: string;
  member_id: string;
}

/** An organisation that administers a jurisdiction of its own: a province's or a city's office. */
export interface TenantsTable {
  org_id: string;
  /** 'province' | 'city'. */
  level: string;
  /** The tenant above (a city's province); null for a root. */
  parent_org_id: string | null;
  created_at: string;
}

export type OrganisationRow = Selectable<OrganisationsTable>;
