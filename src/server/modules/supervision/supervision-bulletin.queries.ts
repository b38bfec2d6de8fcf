/**
 * The facts of a supervision 通报 as the record stood at a cut-off: notices issued in a date range,
 * one fact per (notice, receiving unit), with that unit's first answer and the highest rung reached,
 * both counted only up to the cut-off so a later answer or escalation never rewrites a past period.
 */
import { ESCALATION_STEPS, type EscalationStep } from '../../../shared/enums.ts';
import type { DbOrTrx } from '../../db/database.ts';
import type { SupervisionBulletinNotice } from './supervision-bulletin.rule.ts';

/** Notices created on `from`..`to` (YYYY-MM-DD, inclusive), as of the end of day `asOf`. */
export async function listNoticeFactsAsOf(db: DbOrTrx, from: string, to: string, asOf: string): Promise<SupervisionBulletinNotice[]> {
  // Timestamps are ISO strings: the day after `to` / `asOf` bounds them without date arithmetic in SQL.
  const end = (d: string) => `${d}T23:59:59.999Z`;
  const notices = await db
    .selectFrom('supervision_notices as n')
    .innerJoin('supervision_notice_rows as r', 'r.notice_id', 'n.id')
    .select(['n.id', 'n.reason', 'n.due_date', 'r.org_id'])
    .where('n.created_at', '>=', from)
    .where('n.created_at', '<=', end(to))
    .orderBy('n.created_at')
    .orderBy('n.id')
    .orderBy('r.org_id')
    .execute();
  if (notices.length === 0) return [];
  const ids = [...new Set(notices.map((n) => n.id))];
  const answers = await db
    .selectFrom('supervision_responses')
    .select(['notice_id', 'org_id', 'created_at'])
    .where('notice_id', 'in', ids)
    .where('created_at', '<=', end(asOf))
    .execute();
  const steps = await db
    .selectFrom('supervision_escalations')
    .select(['notice_id', 'step'])
    .where('notice_id', 'in', ids)
    .where('created_at', '<=', end(asOf))
    .execute();
  const firstAnswer = new Map<string, string>();
  for (const a of answers) {
    const k = `${a.notice_id}|${a.org_id}`;
    const day = a.created_at.slice(0, 10);
    if (!firstAnswer.has(k) || day < firstAnswer.get(k)!) firstAnswer.set(k, day);
  }
  const rung = new Map<string, EscalationStep>();
  for (const s of steps) {
    const cur = rung.get(s.notice_id);
    if (!cur || ESCALATION_STEPS.indexOf(s.step) > ESCALATION_STEPS.indexOf(cur)) rung.set(s.notice_id, s.step);
  }
  // A duplicate (notice, unit) from several task rows is one fact.
  const seen = new Set<string>();
  const out: SupervisionBulletinNotice[] = [];
  for (const n of notices) {
    const k = `${n.id}|${n.org_id}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({
      orgId: n.org_id,
      reason: n.reason,
      dueDate: n.due_date,
      answeredOn: firstAnswer.get(k) ?? null,
      escalationStep: rung.get(n.id) ?? null,
    });
  }
  return out;
}
