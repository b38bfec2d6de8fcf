import { describe, expect, it } from 'vitest';
import { Id } from '../../shared/schemas/common.schema.ts';
import { newSortableId } from './ids.ts';

describe('newSortableId', () => {
  it('makes valid UUIDs that sort in creation order, even within one millisecond', () => {
    const ids = Array.from({ length: 10_000 }, () => newSortableId());
    for (const id of ids.slice(0, 50)) expect(Id.safeParse(id).success).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
