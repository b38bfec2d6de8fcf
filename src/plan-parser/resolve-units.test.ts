import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlan, resolveUnits } from './index.ts';
import type { OrgRegistry } from './plan-extract.types.ts';

const root = join(import.meta.dirname, '..', '..');
const registry = JSON.parse(readFileSync(join(root, 'samples/hebi-orgs.json'), 'utf8')) as OrgRegistry;
const seed = readFileSync(join(root, 'test/fixtures/hebi-2018-baicheng.txt'), 'utf8');

describe('resolveUnits', () => {
  it('resolves every unit of the seed plan against the shipped Hebi registry', () => {
    const { extract, unresolved } = resolveUnits(parsePlan(seed), registry);
    expect(unresolved).toEqual([]);
    const all = extract.tasks.flatMap((t) => [...t.assignment.lead, ...t.assignment.responsible, ...t.assignment.cooperating]);
    expect(all.length).toBeGreaterThan(100);
    expect(all.every((u) => typeof u.orgId === 'string')).toBe(true);
  });

  it('resolves groups to the group id and places to their governments', () => {
    const { extract } = resolveUnits(parsePlan(seed), registry);
    const first = extract.tasks[0].assignment;
    expect(first.responsible.map((u) => u.orgId)).toEqual(['org-group-county-govs', 'org-group-county-admins']);
    const heritage = extract.tasks.find((t) => t.assignment.responsible.some((u) => u.name === '浚县政府'))!;
    expect(heritage.assignment.responsible.map((u) => u.orgId)).toEqual(['org-xunxian', 'org-qixian', 'org-shancheng', 'org-heshan']);
  });

  it('matches aliases after width and whitespace folding and lists what stays unresolved', () => {
    const text = '一、任务\n甲。（牵头单位：市住建局，责任单位：淇滨区人民政府、市 规划局，配合单位：市未知局）\n乙。(责任单位:市未知局)';
    const { extract, unresolved } = resolveUnits(parsePlan(text), registry);
    expect(extract.tasks[0].assignment.lead[0].orgId).toBe('org-zhujian');
    expect(extract.tasks[0].assignment.responsible.map((u) => u.orgId)).toEqual(['org-qibin', 'org-guihua']);
    expect(unresolved).toEqual([
      {
        mention: '市未知局',
        name: '市未知局',
        occurrences: [
          { taskIndex: 0, role: 'cooperating' },
          { taskIndex: 1, role: 'responsible' },
        ],
      },
    ]);
  });

  it('has unique ids, and every parent and member exists', () => {
    const ids = new Set(registry.organisations.map((o) => o.id));
    expect(ids.size).toBe(registry.organisations.length);
    for (const o of registry.organisations) {
      if (o.parentId) expect(ids.has(o.parentId)).toBe(true);
      for (const m of o.members ?? []) expect(ids.has(m)).toBe(true);
    }
  });
});
