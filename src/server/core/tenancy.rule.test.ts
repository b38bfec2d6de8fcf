import { describe, expect, it } from 'vitest';
import { canAdministerTenant, canSeeTenant, scopeFor, subtreeIds, type TenantNode, tenantsBelow } from './tenancy.rule.ts';

// 河南 (province) → 鹤壁, 安阳 (cities); 郑州 a root city of its own (no province declared).
const tree: TenantNode[] = [
  { orgId: 'henan', level: 'province', parentOrgId: null },
  { orgId: 'hebi', level: 'city', parentOrgId: 'henan' },
  { orgId: 'anyang', level: 'city', parentOrgId: 'henan' },
  { orgId: 'zhengzhou', level: 'city', parentOrgId: null },
];

describe('tenancy rule', () => {
  it('a city reads and administers only itself', () => {
    const s = scopeFor(tree, 'hebi');
    expect(s.unrestricted).toBe(false);
    expect([...s.readable]).toEqual(['hebi']);
    expect(canSeeTenant(s, 'hebi')).toBe(true);
    expect(canSeeTenant(s, 'anyang')).toBe(false);
    expect(canSeeTenant(s, 'henan')).toBe(false);
    expect(canSeeTenant(s, null)).toBe(false);
    expect(canAdministerTenant(s, 'hebi')).toBe(true);
    expect(canAdministerTenant(s, 'anyang')).toBe(false);
  });

  it('a province reads every city below it and administers only its own', () => {
    const s = scopeFor(tree, 'henan');
    expect([...s.readable].sort()).toEqual(['anyang', 'hebi', 'henan']);
    expect(canSeeTenant(s, 'zhengzhou')).toBe(false);
    expect(canAdministerTenant(s, 'henan')).toBe(true);
    expect(canAdministerTenant(s, 'hebi')).toBe(false);
  });

  it('the implicit jurisdiction: nothing declared means one jurisdiction that sees everything', () => {
    const s = scopeFor([], null);
    expect(s.unrestricted).toBe(true);
    expect(canSeeTenant(s, null)).toBe(true);
    expect(canAdministerTenant(s, null)).toBe(true);
  });

  it('once tenants exist, an actor outside every tenant sees only untenanted rows', () => {
    const s = scopeFor(tree, null);
    expect(canSeeTenant(s, null)).toBe(true);
    expect(canSeeTenant(s, 'hebi')).toBe(false);
  });

  it('an unknown tenant id reads only itself; a cycle in the tree does not loop', () => {
    expect([...scopeFor(tree, 'ghost').readable]).toEqual(['ghost']);
    const cyclic: TenantNode[] = [
      { orgId: 'a', level: 'province', parentOrgId: 'b' },
      { orgId: 'b', level: 'province', parentOrgId: 'a' },
    ];
    expect(tenantsBelow(cyclic, 'a')).toEqual(['a', 'b']);
  });

  it('subtreeIds walks the registry tree from a root, cycle-safe', () => {
    const parents = new Map<string, string | null>([
      ['city', null],
      ['county', 'city'],
      ['town', 'county'],
      ['other', null],
      ['x', 'y'],
      ['y', 'x'],
    ]);
    expect(subtreeIds(parents, 'city')).toEqual(['city', 'county', 'town']);
    expect(subtreeIds(parents, 'x')).toEqual(['x', 'y']);
    expect(subtreeIds(parents, 'missing')).toEqual([]);
  });
});
