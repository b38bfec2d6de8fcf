/**
 * The frozen record of an assessment, parsed once per server instance.
 *
 * A record never changes once stored (corrections are a re-issue: a new assessment), so its parse
 * can be kept: at province size the record is ~45 MB of JSON, and every 核查 adjustment, answered
 * objection and score sheet would otherwise read and parse it again. The cache is keyed by the
 * assessment id and the record's sha256, holds the few most recently used records, and hands out
 * the same object to every caller: callers treat it as read-only (the engine is pure).
 */
import type { AssessmentRecord } from '../../../assessment/index.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { AppError } from '../../core/app-error.ts';
import { type AssessmentRow, findAssessmentRecordJson } from './assessment.repository.ts';

/** How many parsed records an instance keeps (a province's is ~150 MB of heap). */
const KEEP = 2;
const cache = new Map<string, { sha256: string; record: AssessmentRecord }>();

/** The stored record of `row`, parsed once; `record` seeds the cache with a record just written. */
export async function storedRecordOf(
  db: DbOrTrx,
  row: Pick<AssessmentRow, 'id' | 'record_sha256'>,
  record?: AssessmentRecord,
): Promise<AssessmentRecord> {
  const hit = cache.get(row.id);
  if (hit && hit.sha256 === row.record_sha256 && !record) {
    // Most recently used last, so the oldest is the first key when one must go.
    cache.delete(row.id);
    cache.set(row.id, hit);
    return hit.record;
  }
  let parsed = record;
  if (!parsed) {
    const json = await findAssessmentRecordJson(db, row.id);
    if (json === undefined) throw new AppError('not_found', '考核不存在');
    parsed = JSON.parse(json) as AssessmentRecord;
  }
  cache.delete(row.id);
  cache.set(row.id, { sha256: row.record_sha256, record: parsed });
  while (cache.size > KEEP) cache.delete(cache.keys().next().value as string);
  return parsed;
}

/** Forgets every parsed record, as a restarted instance would (benchmarks time the cold path with it). */
export function forgetStoredRecords(): void {
  cache.clear();
}
