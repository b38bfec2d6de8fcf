/**
 * The demo's first half-year assessment (上半年考核), run the way an office runs it: computed
 * from the frozen record, 领导评价 entered for each county (核查), 初评 published, one objection
 * from 淇县 answered, finalised, and its 通报 issued. The plan asks for an assessment every half
 * year with a bulletin (每半年考核一次并进行通报), so a record dated after July shows one; a demo
 * replayed to an earlier day (the e2e journeys run the half-year themselves) has none.
 *
 * Everything goes through the services (audited, as an office's clicks would be); only the
 * records' own dates are set afterwards to the demo's calendar, as the demo history does for
 * reports and notices. Called by the demo seed with one line.
 */
import type { Actor } from '../../core/actor.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { listPeriods } from '../reporting/periods.service.ts';
import {
  adjustLine,
  answerObjection,
  createAssessment,
  fileObjection,
  finaliseAssessment,
  getAssessment,
  getSheet,
  publishAssessment,
} from './assessment.service.ts';
import { draftBulletin, issueBulletin } from './bulletin.service.ts';

/** 领导评价 (0–10) the demo's leaders give the counties, by position in the ranking group. */
const LEADER_MARKS = [9, 8, 8, 7, 9, 6, 8, 7];

/** The demo calendar of the half-year's assessment: June closes on the 17th of July (5th + 2 days' grace + 10). */
function calendar(year: number) {
  return {
    computed: `${year}-07-20`,
    published: `${year}-07-23`,
    objected: `${year}-07-25`,
    answered: `${year}-07-27`,
    finalised: `${year}-07-30`,
    issued: `${year}-08-01`,
  };
}

/**
 * Runs and bulletins the plan's first half-year when `today` is past its calendar and every
 * period of the half-year is closed; returns the assessment's id, or null when it is too early.
 */
export async function seedDemoAssessments(
  db: DbOrTrx,
  input: { planId: string; schemeId: string | null; year: number; today: string; objector: Actor | undefined },
  admin: Actor | null,
): Promise<string | null> {
  if (!admin || !input.schemeId) return null;
  const days = calendar(input.year);
  const end = `${input.year}-06-30`;
  if (input.today < days.issued) return null;
  const periods = (await listPeriods(db, input.planId)).items.filter((p) => p.end <= end);
  if (periods.length === 0 || periods.some((p) => p.status !== 'closed')) return null;

  let run = await createAssessment(
    db,
    {
      schemeId: input.schemeId,
      planId: input.planId,
      title: `${input.year}年上半年百城建设提质工程考核`,
      start: `${input.year}-01-01`,
      end,
      objectionDays: 5,
    },
    admin,
  );
  // 核查: the leaders' marks for the counties (the scheme's manual item), each with its reason.
  const counties = run.units.filter((u) => u.groupId === 'counties');
  for (const [i, unit] of counties.entries()) {
    await adjustLine(
      db,
      run.id,
      {
        version: run.version,
        orgId: unit.orgId,
        ruleId: 'leader',
        kind: 'manual',
        delta: LEADER_MARKS[i % LEADER_MARKS.length]!,
        reason: '市百城建设提质工程领导小组上半年实地核查评价',
      },
      admin,
    );
    run = await getAssessment(db, run.id, admin);
  }
  run = await publishAssessment(db, run.id, run.version, admin, days.published);

  // 异议: the objecting county questions its heaviest deduction; the office answers it.
  if (input.objector && run.units.some((u) => u.orgId === input.objector!.orgId)) {
    const sheet = await getSheet(db, run.id, input.objector.orgId, input.objector);
    const worst = [...sheet.lines].filter((l) => l.points < 0).sort((a, b) => a.points - b.points)[0];
    if (worst) {
      const objected = await fileObjection(
        db,
        run.id,
        { ruleId: worst.ruleId, text: `“${worst.label}”所列事项中，部分月份系因系统填报时间调整导致迟报，请核实。` },
        input.objector,
        days.objected,
      );
      const objection = objected.objections.find((o) => o.ruleId === worst.ruleId);
      if (objection) {
        await answerObjection(
          db,
          objection.id,
          { answer: '经核查，所列各月均在截止时间后报送，填报时间未作调整，维持原评分。', outcome: 'rejected', delta: 0 },
          admin,
        );
      }
    }
  }
  run = await getAssessment(db, run.id, admin);
  run = await finaliseAssessment(db, run.id, run.version, admin);
  const bulletin = await draftBulletin(db, run.id, admin, days.issued);
  await issueBulletin(db, bulletin.id, bulletin.version, admin);
  await dateTheRecord(db, run.id, bulletin.id, days);
  return run.id;
}

/** Sets the records' dates to the demo calendar (the audit log keeps the real time of the seed). */
async function dateTheRecord(db: DbOrTrx, assessmentId: string, bulletinId: string, days: ReturnType<typeof calendar>) {
  const at = (day: string, hour = 10) => `${day}T${String(hour - 8).padStart(2, '0')}:00:00.000Z`;
  await db
    .updateTable('assessments')
    .set({
      created_at: at(days.computed),
      published_at: at(days.published),
      finalised_at: at(days.finalised),
      updated_at: at(days.finalised),
    })
    .where('id', '=', assessmentId)
    .execute();
  await db
    .updateTable('assessment_adjustments')
    .set({ created_at: at(days.computed, 15) })
    .where('assessment_id', '=', assessmentId)
    .execute();
  await db
    .updateTable('assessment_objections')
    .set({ filed_at: at(days.objected), answered_at: at(days.answered) })
    .where('assessment_id', '=', assessmentId)
    .execute();
  await db
    .updateTable('assessment_consequences')
    .set({ created_at: at(days.finalised) })
    .where('assessment_id', '=', assessmentId)
    .execute();
  await db
    .updateTable('bulletins')
    .set({ created_at: at(days.finalised, 16), issued_at: at(days.issued), updated_at: at(days.issued) })
    .where('id', '=', bulletinId)
    .execute();
}
