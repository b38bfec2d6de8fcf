/**
 * Imports the Hebi 2018 plan through the API on a test app: parse, map every unresolved unit
 * mention (淇县/浚县 resolve to the seeded counties; the rest are created), confirm.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { PlanImport } from '../../src/shared/schemas/plan-import.schema.ts';
import type { Task } from '../../src/shared/schemas/plan.schema.ts';
import type { TestClient } from './test-app.ts';

export const HEBI_TEXT = readFileSync(path.resolve('samples/hebi-2018-baicheng.txt'), 'utf8');

type Draft = import('zod').infer<typeof PlanImport>;

/** The kind an admin would pick for a mention the registry does not know. */
export function guessKind(name: string): 'group' | 'enterprise' | 'department' {
  if (/^(各|有关)|单位$/.test(name)) return 'group';
  if (/公司$/.test(name)) return 'enterprise';
  return 'department';
}

export async function mapAllByCreating(admin: TestClient, draft: Draft): Promise<Draft> {
  const res = await admin.post(`/api/plan-imports/${draft.id}/mappings`, {
    mappings: draft.unresolved.map((u) => ({ name: u.name, create: { name: u.name, kind: guessKind(u.name) } })),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Draft;
}

/** Imports the Hebi plan end to end and returns the plan id and all its tasks (in seq order). */
export async function importHebiPlan(admin: TestClient): Promise<{ planId: string; tasks: Task[] }> {
  const created = await admin.post('/api/plan-imports', { text: HEBI_TEXT, filename: 'hebi-2018-baicheng.txt' });
  expect(created.statusCode, created.body).toBe(201);
  let draft = created.json() as Draft;
  if (draft.unresolved.length > 0) draft = await mapAllByCreating(admin, draft);
  const confirmed = await admin.post(`/api/plan-imports/${draft.id}/confirm`);
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  const { planId } = confirmed.json() as { planId: string };
  const list = await admin.get(`/api/plans/${planId}/tasks?limit=500`);
  expect(list.statusCode, list.body).toBe(200);
  return { planId, tasks: (list.json() as { items: Task[] }).items };
}

/** Kept here for the suites that import it from this file; it lives in ./multipart.ts. */
export { multipartFile } from './multipart.ts';
