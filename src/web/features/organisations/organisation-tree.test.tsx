import { describe, expect, it } from 'vitest';
import type { Organisation } from '../../../shared/schemas/organisation.schema.ts';
import { buildOrganisationTree } from './organisation-tree.ts';

const org = (id: string, parentId: string | null): Organisation => ({
  id,
  name: id,
  aliases: [],
  kind: 'jurisdiction',
  adminCode: null,
  parentId,
  memberIds: [],
  version: 1,
  createdAt: '2026-12-02T00:00:00.000Z',
  updatedAt: '2026-12-02T00:00:00.000Z',
});

describe('buildOrganisationTree', () => {
  it('nests organisations under their parents, in the order given', () => {
    const tree = buildOrganisationTree([org('city', null), org('county', 'city'), org('town', 'county'), org('dept', 'city')]);
    expect(tree.map((n) => n.id)).toEqual(['city']);
    expect(tree[0]!.children!.map((n) => n.id)).toEqual(['county', 'dept']);
    expect(tree[0]!.children![0]!.children!.map((n) => n.id)).toEqual(['town']);
    expect(tree[0]!.children![1]!.children).toBeUndefined();
  });

  it('makes a root of an organisation whose parent is not listed, or whose chain loops', () => {
    const tree = buildOrganisationTree([org('county', 'hidden-city'), org('a', 'b'), org('b', 'a')]);
    expect(tree.map((n) => n.id)).toEqual(['county', 'a', 'b']);
    const count = (nodes: typeof tree): number => nodes.reduce((n, x) => n + 1 + count(x.children ?? []), 0);
    expect(count(tree)).toBe(3);
  });
});
