import { z } from 'zod';
import { ORG_KINDS } from '../enums.ts';
import { Id, IsoDateTime, Name, Version } from './common.schema.ts';

export const Organisation = z.object({
  id: Id,
  name: Name,
  /** Short names and aliases used in plan text: 市住建局 for 市住房和城乡建设局. */
  aliases: z.array(Name),
  kind: z.enum(ORG_KINDS),
  /** Administrative division code (淇县 410622) for jurisdictions. */
  adminCode: z
    .string()
    .regex(/^\d{6,12}$/)
    .nullable(),
  parentId: Id.nullable(),
  /** For kind 'group': the organisations it stands for. */
  memberIds: z.array(Id),
  /** The tenant (a province's or city's office) the organisation belongs to; null before any is declared. */
  tenantId: Id.nullable().optional(),
  version: Version,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Organisation = z.infer<typeof Organisation>;

// Defaults belong to create only: zod 4 applies a default inside .partial() too, so an update
// schema derived from fields with defaults would reset every omitted field (aliases, parent…).
const OrganisationFields = z.object({
  name: Name,
  aliases: z.array(Name).max(50),
  kind: z.enum(ORG_KINDS),
  adminCode: z
    .string()
    .regex(/^\d{6,12}$/)
    .nullable(),
  parentId: Id.nullable(),
  memberIds: z.array(Id).max(500),
});

export const CreateOrganisationBody = OrganisationFields.extend({
  aliases: OrganisationFields.shape.aliases.default([]),
  adminCode: OrganisationFields.shape.adminCode.default(null),
  parentId: OrganisationFields.shape.parentId.default(null),
  memberIds: OrganisationFields.shape.memberIds.default([]),
});
export type CreateOrganisationBody = z.infer<typeof CreateOrganisationBody>;

export const UpdateOrganisationBody = OrganisationFields.partial().extend({ version: Version });
export type UpdateOrganisationBody = z.infer<typeof UpdateOrganisationBody>;

export const OrganisationList = z.object({ items: z.array(Organisation), total: z.number().int() });

/** The registry file the plan parser reads (samples/hebi-orgs.json). */
export const RegistryOrg = z.object({
  id: z.string().min(1).max(100),
  name: Name,
  aliases: z.array(Name).default([]),
  kind: z.enum(ORG_KINDS),
  adminCode: z
    .string()
    .regex(/^\d{6,12}$/)
    .optional(),
  parentId: z.string().min(1).max(100).optional(),
  members: z.array(z.string().min(1).max(100)).optional(),
});
export const OrgRegistryFile = z.object({ organisations: z.array(RegistryOrg).max(10_000) });
export type OrgRegistryFile = z.infer<typeof OrgRegistryFile>;

export const ImportRegistryResult = z.object({ created: z.number().int(), updated: z.number().int() });

/** A declared tenant (issue 12): an office that administers a jurisdiction of its own. */
export const Tenant = z.object({
  orgId: Id,
  name: Name,
  level: z.enum(['province', 'city']),
  /** The province above a city; null for a root. */
  parentOrgId: Id.nullable(),
  createdAt: IsoDateTime,
});
export type Tenant = z.infer<typeof Tenant>;

export const TenantList = z.object({ items: z.array(Tenant) });

/** A province office declares one organisation of its own registry a city office under it. */
export const DeclareCityTenantBody = z.object({ orgId: Id });
export type DeclareCityTenantBody = z.infer<typeof DeclareCityTenantBody>;
