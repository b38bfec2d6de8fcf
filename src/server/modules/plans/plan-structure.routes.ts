import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { todayInShanghai } from '../../../shared/china-date.ts';
import { IdParams, Ok, Version } from '../../../shared/schemas/common.schema.ts';
import {
  CreateSectionBody,
  MergeTaskBody,
  MoveSectionBody,
  MoveTaskBody,
  PlanDetail,
  Section,
  SplitTaskBody,
  SplitTaskResult,
  Task,
  UpdateSectionBody,
} from '../../../shared/schemas/plan.schema.ts';
import type { TaskInUseChecks } from './plans.service.ts';
import { createSection, deleteSection, mergeTask, moveSection, moveTask, splitTask, updateSection } from './plan-structure.service.ts';

const VersionQuery = z.object({ version: z.coerce.number().pipe(Version) });

/**
 * The office edits a confirmed plan's structure: sections (create, rename, move, delete when
 * empty) and tasks (move, split, merge). Admin only; each write is versioned and audited in
 * plan-structure.service.ts. A task's fields, assignments, deadlines and targets are edited
 * through the task routes in plans.routes.ts; the plan's title, issuer and year by PATCH /plans/:id.
 * `inUse` asks reporting and supervision whether a task carries progress (modules/index.ts passes
 * their services in, so plans depends on neither).
 */
export function planStructureRoutes(inUse: TaskInUseChecks): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['plans'];
    const asOf = () => app.appConfig.today ?? todayInShanghai();

    app.post(
      '/plans/:id/sections',
      {
        config: { policy: 'admin' },
        schema: {
          tags,
          summary: 'Add a section, last among its siblings',
          params: IdParams,
          body: CreateSectionBody,
          response: { 201: Section },
        },
      },
      async (req, reply) => reply.code(201).send(await createSection(app.db, req.params.id, req.body, req.actor)),
    );

    app.patch(
      '/sections/:id',
      {
        config: { policy: 'admin' },
        schema: {
          tags,
          summary: 'Rename a section (send the version you read)',
          params: IdParams,
          body: UpdateSectionBody,
          response: { 200: Section },
        },
      },
      async (req) => updateSection(app.db, req.params.id, req.body, req.actor),
    );

    app.post(
      '/sections/:id/move',
      {
        config: { policy: 'admin' },
        schema: {
          tags,
          summary: 'Move a section up or down among its siblings; returns the renumbered outline',
          params: IdParams,
          body: MoveSectionBody,
          response: { 200: PlanDetail },
        },
      },
      async (req) => moveSection(app.db, req.params.id, req.body, req.actor),
    );

    app.delete(
      '/sections/:id',
      {
        config: { policy: 'admin' },
        schema: {
          tags,
          summary: 'Delete an empty section at the version you read',
          params: IdParams,
          querystring: VersionQuery,
          response: { 200: Ok },
        },
      },
      async (req) => {
        await deleteSection(app.db, req.params.id, req.query.version, req.actor);
        return { ok: true as const };
      },
    );

    app.post(
      '/tasks/:id/move',
      {
        config: { policy: 'admin' },
        schema: {
          tags: ['tasks'],
          summary: 'Move a task to another section and/or up or down within its section',
          params: IdParams,
          body: MoveTaskBody,
          response: { 200: Task },
        },
      },
      async (req) => moveTask(app.db, req.params.id, req.body, req.actor, asOf()),
    );

    app.post(
      '/tasks/:id/split',
      {
        config: { policy: 'admin' },
        schema: {
          tags: ['tasks'],
          summary: 'Split a task in two; reports stay on the original',
          params: IdParams,
          body: SplitTaskBody,
          response: { 200: SplitTaskResult },
        },
      },
      async (req) => splitTask(app.db, req.params.id, req.body, req.actor, asOf(), inUse),
    );

    app.post(
      '/tasks/:id/merge',
      {
        config: { policy: 'admin' },
        schema: {
          tags: ['tasks'],
          summary: 'Merge another task into this one; the other must have no reports or 督办',
          params: IdParams,
          body: MergeTaskBody,
          response: { 200: Task },
        },
      },
      async (req) => mergeTask(app.db, req.params.id, req.body, req.actor, asOf(), inUse),
    );
  };
}
