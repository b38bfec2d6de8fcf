import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ORG_KINDS } from '../../../shared/enums.ts';
import { IdParams, Ok, Version } from '../../../shared/schemas/common.schema.ts';
import {
  CreateOrganisationBody,
  DeclareCityTenantBody,
  ImportRegistryResult,
  Organisation,
  OrganisationList,
  OrgRegistryFile,
  Tenant,
  TenantList,
  UpdateOrganisationBody,
} from '../../../shared/schemas/organisation.schema.ts';
import {
  createOrganisation,
  deleteOrganisation,
  type OrganisationUseChecks,
  exportRegistry,
  getOrganisation,
  importRegistry,
  listOrganisations,
  updateOrganisation,
} from './organisations.service.ts';
import { declareCityTenant, listVisibleTenants } from './tenancy.service.ts';

const ListQuery = z.object({ q: z.string().trim().max(200).optional(), kind: z.enum(ORG_KINDS).optional() });
const DeleteQuery = z.object({ version: z.coerce.number().pipe(Version) });

// A province-size registry (10,000 rows) is larger than the default JSON body limit.
const REGISTRY_BODY_BYTES = 16 * 1024 * 1024;

/** The organisation registry: units, groups, aliases; import/export in the parser's file format. */
/** `uses` asks plans and users whether an organisation is still referenced before a delete (see OrganisationUseChecks). */
export function organisationsRoutes(uses: OrganisationUseChecks): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['organisations'];

    app.get(
      '/organisations',
      {
        config: { policy: 'read' },
        schema: { tags, summary: 'List organisations', querystring: ListQuery, response: { 200: OrganisationList } },
      },
      async (req) => listOrganisations(app.db, req.query, req.actor),
    );

    app.post(
      '/organisations',
      {
        config: { policy: 'admin' },
        schema: { tags, summary: 'Create an organisation', body: CreateOrganisationBody, response: { 201: Organisation } },
      },
      async (req, reply) => reply.code(201).send(await createOrganisation(app.db, req.actor, req.body)),
    );

    app.get(
      '/organisations/registry',
      {
        config: { policy: 'read' },
        schema: { tags, summary: 'Export the registry (plan parser format)', response: { 200: OrgRegistryFile } },
      },
      async (req) => exportRegistry(app.db, req.actor),
    );

    app.post(
      '/organisations/registry',
      {
        config: { policy: 'admin' },
        bodyLimit: REGISTRY_BODY_BYTES,
        schema: {
          tags,
          summary: 'Import a registry file: match by name, create the rest',
          body: OrgRegistryFile,
          response: { 200: ImportRegistryResult },
        },
      },
      async (req) => importRegistry(app.db, req.actor, req.body),
    );

    app.get(
      '/organisations/:id',
      {
        config: { policy: 'read' },
        schema: { tags, summary: 'One organisation', params: IdParams, response: { 200: Organisation } },
      },
      async (req) => getOrganisation(app.db, req.params.id, req.actor),
    );

    app.patch(
      '/organisations/:id',
      {
        config: { policy: 'admin' },
        schema: {
          tags,
          summary: 'Edit an organisation (send the version you read)',
          params: IdParams,
          body: UpdateOrganisationBody,
          response: { 200: Organisation },
        },
      },
      async (req) => updateOrganisation(app.db, req.actor, req.params.id, req.body),
    );

    app.get(
      '/tenants',
      {
        config: { policy: 'read' },
        schema: { tags, summary: 'The jurisdictions (province and city offices) the caller reads', response: { 200: TenantList } },
      },
      async (req) => listVisibleTenants(app.db, req.actor),
    );

    app.post(
      '/tenants',
      {
        config: { policy: 'admin' },
        schema: {
          tags,
          summary: 'Declare an organisation of the province’s registry a city office under it',
          body: DeclareCityTenantBody,
          response: { 201: Tenant },
        },
      },
      async (req, reply) => reply.code(201).send(await declareCityTenant(app.db, req.actor, req.body)),
    );

    app.delete(
      '/organisations/:id',
      {
        config: { policy: 'admin' },
        schema: {
          tags,
          summary: 'Delete an organisation nothing refers to',
          params: IdParams,
          querystring: DeleteQuery,
          response: { 200: Ok },
        },
      },
      async (req) => {
        await deleteOrganisation(app.db, req.actor, req.params.id, req.query.version, uses);
        return { ok: true as const };
      },
    );
  };
}
