import type { Selectable } from 'kysely';
import type { OrgKind } from '../../../shared/enums.ts';

/** The organisations module's tables; merged into db/database.types.ts `Database`. */
export interface OrganisationsTables {
  organisations: OrganisationsTable;
  organisation_members: OrganisationMembersTable;
}

export interface OrganisationsTable {
  id: string;
  name: string;
  /** JSON array of strings. */
  aliases: string;
  kind: OrgKind;
  admin_code: string | null;
  parent_id: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

/** A group's members (各县区政府 → each county). */
export interface OrganisationMembersTable {
  group_id: string;
  member_id: string;
}

export type OrganisationRow = Selectable<OrganisationsTable>;
