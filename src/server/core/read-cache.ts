import type { DbOrTrx } from '../db/database.ts';
import { GLOBAL_CHAIN, planChain, readAuditHeads, readAuditStamp } from './audit-log.ts';

/**
 * A read-through cache for the reads that aggregate whole plans (the city and province
 * dashboards, ADR 0008): an entry holds while nothing was written to the plans it read. Every
 * write appends, in its own transaction, to the audit chain of its plan or to the installation's
 * chain (ADR 0005), so the heads of those chains are a version stamp of all the data such a read
 * depends on: the stamp is read first, then the data, so a cached value is never older than its
 * stamp. Several server instances each keep their own entries and see the same stamps.
 *
 * The key must name everything else the value depends on: the reader (role and organisation:
 * visibility and "mine"), the plans, the day (statuses change with asOf), the query.
 */

/** Entries per database handle; the oldest unused entry goes first. */
const MAX_ENTRIES = 500;

const caches = new WeakMap<object, Map<string, { stamp: string; value: unknown }>>();
// cachedPerPlan's values being computed, by key and stamp, per database handle.
const pendings = new WeakMap<object, Map<string, Promise<unknown>>>();

function pendingOf(db: object): Map<string, Promise<unknown>> {
  let pending = pendings.get(db);
  if (!pending) {
    pending = new Map();
    pendings.set(db, pending);
  }
  return pending;
}

/**
 * `compute()`'s value for `key`, reused while the chains of `planIds` and the installation's chain
 * are unchanged. The value is shared between callers: treat it as read-only.
 */
export async function cachedPlanRead<T>(db: DbOrTrx, key: string, planIds: readonly string[], compute: () => Promise<T>): Promise<T> {
  const stamp = await readAuditStamp(db, [GLOBAL_CHAIN, ...planIds.map(planChain)]);
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const hit = cache.get(key);
  if (hit && hit.stamp === stamp) {
    // Re-inserted: the Map's order is the order of last use.
    cache.delete(key);
    cache.set(key, hit);
    return hit.value as T;
  }
  const value = await compute();
  cache.delete(key);
  cache.set(key, { stamp, value });
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  return value;
}

/**
 * One value per plan under `kind` (a plan's ledger rows, its 填报率), each reused while that
 * plan's chain and the installation's chain are unchanged: a write to one city's plan rebuilds
 * that plan's value only, not the other 17 of a province. The heads of all the chains are read in
 * one query, before the data, as cachedPlanRead does. `compute` gets the plans whose values are
 * missing or stale, all at once, and returns a value for each. The values are shared between
 * callers: treat them as read-only.
 */
export async function cachedPerPlan<T>(
  db: DbOrTrx,
  kind: string,
  planIds: readonly string[],
  compute: (planIds: string[]) => Promise<Map<string, T>>,
): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  if (planIds.length === 0) return out;
  const heads = await readAuditHeads(db, [GLOBAL_CHAIN, ...planIds.map(planChain)]);
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const stampOf = (planId: string) => `${heads.get(GLOBAL_CHAIN)}/${heads.get(planChain(planId))}`;
  const keyOf = (planId: string) => JSON.stringify([kind, planId]);
  const missing: string[] = [];
  const waits: Promise<void>[] = [];
  const pending = pendingOf(db);
  for (const planId of new Set(planIds)) {
    const key = keyOf(planId);
    const hit = cache.get(key);
    if (hit && hit.stamp === stampOf(planId)) {
      cache.delete(key);
      cache.set(key, hit);
      out.set(planId, hit.value as T);
      continue;
    }
    // Being built for the same stamp by a concurrent request: wait for it rather than build it
    // again (ten readers opening a city right after a write would otherwise rebuild it ten times).
    const building = pending.get(`${key}@${stampOf(planId)}`);
    if (building) {
      const wait = building.then((value) => {
        if (value !== undefined) out.set(planId, value as T);
      });
      // Handled even if this call throws before awaiting it (its own batch failing first).
      wait.catch(() => undefined);
      waits.push(wait);
    } else missing.push(planId);
  }
  if (missing.length > 0) {
    const batch = compute(missing);
    for (const planId of missing) {
      const tag = `${keyOf(planId)}@${stampOf(planId)}`;
      const one = batch.then((m) => m.get(planId));
      pending.set(tag, one);
      const done = () => {
        if (pending.get(tag) === one) pending.delete(tag);
      };
      one.then(done, done);
    }
    const computed = await batch;
    for (const planId of missing) {
      const value = computed.get(planId);
      if (value === undefined) continue;
      const key = keyOf(planId);
      cache.delete(key);
      cache.set(key, { stamp: stampOf(planId), value });
      out.set(planId, value);
    }
  }
  await Promise.all(waits);
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  return out;
}
