import { describe, expect, it } from 'vitest';
import type { Organisation } from '../../../shared/schemas/organisation.schema.ts';
import { buildJurisdictionTree, buildOrganisationTree } from './organisation-tree.ts';

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

describe('buildJurisdictionTree', () => {
  const tenant = (orgId: string, level: 'province' | 'city', parentOrgId: string | null) => ({
    orgId,
    name: orgId,
    level,
    parentOrgId,
    createdAt: '2026-12-02T00:00:00.000Z',
  });
  const inTenant = (id: string, tenantId: string, kind: Organisation['kind'] = 'jurisdiction'): Organisation => ({
    ...org(id, null),
    kind,
    tenantId,
  });

  it('shows province → cities → their counties; departments and the offices themselves are not counties', () => {
    const tree = buildJurisdictionTree(
      [tenant('省', 'province', null), tenant('乙市', 'city', '省'), tenant('甲市', 'city', '省')],
      [
        inTenant('省', '省', 'office'),
        inTenant('甲市', '甲市', 'office'),
        inTenant('乙市', '乙市', 'office'),
        inTenant('甲县', '甲市'),
        inTenant('乙县', '乙市'),
        inTenant('甲局', '甲市', 'department'),
      ],
    );
    const shape = (n: { name: string; level: string; children: unknown[] }): unknown => [n.name, n.level, n.children.map(shape as never)];
    expect(tree.map(shape)).toEqual([
      [
        '省',
        'province',
        [
          ['甲市', 'city', [['甲县', 'county', []]]],
          ['乙市', 'city', [['乙县', 'county', []]]],
        ],
      ],
    ]);
  });

  it('a city whose province the viewer does not read is a root; no tenants, no tree', () => {
    expect(buildJurisdictionTree([tenant('甲市', 'city', '省')], []).map((n) => n.name)).toEqual(['甲市']);
    expect(buildJurisdictionTree([], [org('x', null)])).toEqual([]);
  });
});
