import { describe, expect, it } from 'vitest';
import { buildJurisdictionLookup } from './jurisdiction.lookup.ts';

describe('jurisdiction lookup', () => {
  const lookup = buildJurisdictionLookup([
    { id: 'qx', name: '淇县政府', aliases: ['淇县人民政府'], kind: 'jurisdiction' },
    { id: 'qb', name: '淇滨区', aliases: ['淇滨区政府'], kind: 'jurisdiction' },
    { id: 'sfq', name: '城乡一体化示范区管委会', aliases: ['示范区', '城乡一体化示范区'], kind: 'jurisdiction' },
    { id: 'grp', name: '各县区政府', aliases: [], kind: 'group' },
  ]);

  it('maps a place to its government body', () => {
    expect(lookup('淇县')).toBe('qx');
    expect(lookup('淇滨区')).toBe('qb');
    expect(lookup('示范区')).toBe('sfq');
  });

  it('returns null for labels that name no single body', () => {
    expect(lookup('两县')).toBeNull();
    expect(lookup('')).toBeNull();
  });
});
