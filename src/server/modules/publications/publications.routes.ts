import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { todayInShanghai } from '../../../shared/china-date.ts';
import { IdParams } from '../../../shared/schemas/common.schema.ts';
import {
  AssessmentPayload,
  BulletinPayload,
  OfficePublicationList,
  PeriodPayload,
  ProjectLibraryPayload,
  PublicDistrict,
  Publication,
  PublicSection,
  PublishableSourceList,
  PublishBody,
  StatusSummary,
  WithdrawBody,
} from '../../../shared/schemas/publication.schema.ts';
import { requireActor } from '../../http/policy.ts';
import { listOfficePublications, listPublishable, previewPublication, publish, withdraw } from './publications.service.ts';
import { publicApiRoutes } from './public.routes.ts';

const Preview = z.object({
  title: z.string(),
  asOf: z.string().nullable(),
  /** Status summaries of a period; null for kinds without them (assessment, bulletin). */
  summary: StatusSummary.nullable(),
  districts: z.array(PublicDistrict.extend({ summary: StatusSummary })),
  sections: z.array(PublicSection.extend({ summary: StatusSummary })),
  payload: z.union([PeriodPayload, AssessmentPayload, BulletinPayload, ProjectLibraryPayload]),
});

/**
 * Publications: the office previews, publishes and withdraws (admin; publications.policy.ts in
 * the service), and the anonymous public portal API under /api/public (public-routes.ts).
 */
export const publicationsRoutes: FastifyPluginAsyncZod = async (app) => {
  // The server's date (LUOSHI_TODAY or the demo's clock): a project library is published as of it.
  const today = () => app.appConfig.today ?? todayInShanghai();
  const tags = ['publications'];

  app.get(
    '/publications',
    {
      config: { policy: 'admin' },
      schema: { tags, summary: 'Every publication, with who published or withdrew it', response: { 200: OfficePublicationList } },
    },
    async (req) => listOfficePublications(app.db, requireActor(req)),
  );

  app.get(
    '/publications/sources',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Records the office can publish (closed periods), with their live publication',
        response: { 200: PublishableSourceList },
      },
    },
    async (req) => listPublishable(app.db, requireActor(req), today()),
  );

  app.post(
    '/publications/preview',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Exactly what publishing this record would show (nothing is published)',
        body: PublishBody,
        response: { 200: Preview },
      },
    },
    async (req) => previewPublication(app.db, requireActor(req), req.body, today()),
  );

  app.post(
    '/publications',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Publish a record to the public portal (its public fields, frozen now)',
        body: PublishBody,
        response: { 201: Publication },
      },
    },
    async (req, reply) => reply.code(201).send(await publish(app.db, requireActor(req), req.body, new Date(), today())),
  );

  app.post(
    '/publications/:id/withdraw',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Withdraw a publication with a reason (the public page says it was withdrawn)',
        params: IdParams,
        body: WithdrawBody,
        response: { 200: Publication },
      },
    },
    async (req) => withdraw(app.db, requireActor(req), req.params.id, req.body),
  );

  await app.register(publicApiRoutes, { prefix: '/public' });
};
