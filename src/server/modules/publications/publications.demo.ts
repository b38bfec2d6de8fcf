/**
 * The demo's publications: the office publishes the latest closed periods of the demo plan, so an
 * anonymous visitor of a fresh `npm start` finds something on /public; once the record holds a
 * final assessment, its ranking, its 通报 and the plan year's project library too (the plan asks
 * for results to be published to society). Called from the demo seed with one line; publishes
 * nothing when no period is closed yet.
 */
import type { Db } from '../../db/database.ts';
import type { Actor } from '../../core/actor.ts';
import { listPublishable, publish } from './publications.service.ts';

/**
 * Publishes the `max` latest closed, unpublished periods as the demo office and, when an
 * assessment is final, every unpublished ranking, bulletin and project library; returns their ids.
 */
export async function publishDemoPeriods(db: Db, office: Actor, today: string, max = 2): Promise<string[]> {
  const { items } = await listPublishable(db, office, today);
  const periods = items
    .filter((s) => s.kind === 'period' && s.publicationId === null)
    .sort((a, b) => (b.asOf ?? '').localeCompare(a.asOf ?? ''))
    .slice(0, max)
    .reverse();
  const assessed = items.some((s) => s.kind === 'assessment');
  const results = assessed ? items.filter((s) => s.kind !== 'period' && s.publicationId === null) : [];
  const todo = [...periods, ...results];
  const ids: string[] = [];
  // Published on the demo's own day (10:00 in Beijing), not the machine's: the portal says 公布于 that day.
  const at = new Date(`${today}T02:00:00.000Z`);
  for (const s of todo) ids.push((await publish(db, office, { kind: s.kind, sourceId: s.sourceId }, at, today)).id);
  return ids;
}
