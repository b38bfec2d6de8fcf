/**
 * Project-library fixtures: a valid project body (points inside the shipped Hebi boundaries),
 * and a project taken through the life cycle by the API as its users would.
 */
import { expect } from 'vitest';
import type { ProjectDetail } from '../../src/shared/schemas/project.schema.ts';
import type { TestClient } from './test-app.ts';

/** Label points of the shipped districts (GCJ-02), inside their polygons. */
export const DISTRICT_POINTS = {
  淇县: { lng: 114.208828, lat: 35.622507 },
  浚县: { lng: 114.55091, lat: 35.67636 },
  淇滨区: { lng: 114.298789, lat: 35.741592 },
  山城区: { lng: 114.184318, lat: 35.898033 },
  鹤山区: { lng: 114.163258, lat: 35.954611 },
} as const;

/** A valid draft body: 公厕, 总投资 1,000,000 元 from two sources, 2026. */
export function projectBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: '城关镇新建公厕',
    categoryCode: 'public_toilet',
    ownerName: '县城市管理局',
    location: { ...DISTRICT_POINTS.淇县, datum: 'GCJ02' },
    address: '淇县朝歌路',
    nature: 'new',
    scale: '新建公厕3座',
    startDate: '2026-03-01',
    endDate: '2026-10-31',
    totalInvestment: 1_000_000,
    planYear: 2026,
    annualPlan: 1_000_000,
    funding: [
      { sourceCode: 'central', planned: 600_000, arrived: 300_000 },
      { sourceCode: 'county', planned: 400_000, arrived: 100_000 },
    ],
    prep: [{ kind: 'approval', state: 'done', docNo: '淇发改〔2026〕1号', date: '2026-01-10' }],
    ...over,
  };
}

export function okJson<T>(res: { statusCode: number; body: string; json(): unknown }, code = 200): T {
  expect(res.statusCode, res.body).toBe(code);
  return res.json() as T;
}

/** A project created by `unit`, submitted, and admitted by `admin` (unless `stopAt`). */
export async function makeProject(
  unit: TestClient,
  admin: TestClient,
  over: Record<string, unknown> = {},
  stopAt: 'draft' | 'submitted' | 'admitted' = 'admitted',
): Promise<ProjectDetail> {
  let p = okJson<ProjectDetail>(await unit.post('/api/projects', projectBody(over)), 201);
  if (stopAt === 'draft') return p;
  p = okJson<ProjectDetail>(await unit.post(`/api/projects/${p.id}/submit`, { version: p.version }));
  if (stopAt === 'submitted') return p;
  return okJson<ProjectDetail>(await admin.post(`/api/projects/${p.id}/review`, { version: p.version, decision: 'admit' }));
}
