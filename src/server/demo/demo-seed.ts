/**
 * The demo: on an empty database, the Hebi 2018 百城建设提质工程 plan with its organisation
 * registry and one account per role, so a fresh install shows a real ledger at first sign-in.
 * Everything goes through the same services as the API (registry import, plan import, users),
 * so the demo data is audited and shaped exactly like imported data.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { UserRole } from '../../shared/enums.ts';
import { OrgRegistryFile } from '../../shared/schemas/organisation.schema.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { publishDemoPeriods } from '../modules/publications/publications.demo.ts';
import { runPeriodTick } from '../jobs/period.job.ts';
import type { Actor } from '../core/actor.ts';
import { seedCoverageDemo } from '../modules/coverage/coverage-seed.service.ts';
import { seedDemoAssessments } from '../modules/assessment/assessment.demo.ts';
import { seedDemoAssessmentScheme } from '../modules/assessment/demo-scheme.service.ts';
import { exportRegistry, importRegistry, listOrganisations } from '../modules/organisations/organisations.service.ts';
import { seedDemoProjects } from '../modules/projects/projects.demo.ts';
import { importPlanText } from '../modules/plan-imports/plan-imports.service.ts';
import { listPeriods, putSchedule } from '../modules/reporting/periods.service.ts';
import { resolveDemoLabels, seedDemoHistory } from './demo-history.ts';
import { declareDemoProvince, PROVINCE_DEMO_ACCOUNTS, type SecondCityResult, seedSecondCity } from './demo-province.ts';
import { seedInstallationSettings } from '../modules/settings/settings.service.ts';
import { createUser, ensureBootstrapAdmin } from '../modules/users/users.service.ts';

/** Where the start-up messages go: pino's logger and `console` both fit. */
export interface SeedLog {
  info(msg: string): void;
  warn(msg: string): void;
}

const SAMPLES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../samples');
export const DEMO_REGISTRY_FILE = path.join(SAMPLES_DIR, 'hebi-orgs.json');
export const DEMO_PLAN_FILE = path.join(SAMPLES_DIR, 'hebi-2018-baicheng.txt');

/** The Hebi office: the city tenant under the demo's province, and `admin`'s organisation. */
const HEBI_OFFICE = '市百城办';

/** Demo-only accounts: fixed, public passwords (listed in the README), never for real data. */
export const DEMO_ACCOUNTS: readonly {
  username: string;
  password: string;
  displayName: string;
  role: UserRole;
  orgName: string;
}[] = [
  { username: 'admin', password: 'luoshi-admin-2018', displayName: '百城办管理员', role: 'admin', orgName: HEBI_OFFICE },
  { username: 'zhujian', password: 'luoshi-zhujian-2018', displayName: '市住建局联络员', role: 'lead', orgName: '市住房和城乡建设局' },
  { username: 'qixian', password: 'luoshi-qixian-2018', displayName: '淇县政府联络员', role: 'unit', orgName: '淇县政府' },
  { username: 'leader', password: 'luoshi-leader-2018', displayName: '市领导', role: 'leader', orgName: '鹤壁市人民政府' },
];

export type SeedResult =
  | { kind: 'skipped'; reason: string }
  | {
      kind: 'demo';
      planId: string | null;
      taskCount: number;
      accounts: string[];
      openedPeriods: string[];
      /** The demo's "today" the record was seeded up to. */
      today: string;
      history: { closedPeriods: number; reports: number; notices: number } | null;
      /** The province's second, synthetic city (demo-province.ts). */
      secondCity: SecondCityResult;
    }
  | { kind: 'bootstrap-admin'; username: string };

async function isEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom('organisations').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

/**
 * Seeds an empty database (no organisations). With the demo on (LUOSHI_DEMO, default): the Hebi
 * registry, the Hebi plan (auto-confirmed) and the demo accounts, printed to the log. With the demo
 * off: the first `admin` account, with LUOSHI_ADMIN_PASSWORD or a generated password printed once.
 * Does nothing on a database that already holds data.
 */
export async function seedDemoIfEmpty(
  db: Db,
  config: Pick<Config, 'demo' | 'adminPassword' | 'today'> & { uploadDir?: string },
  log: SeedLog,
): Promise<SeedResult> {
  if (!(await isEmpty(db))) return { kind: 'skipped', reason: 'the database already holds organisations' };
  if (!config.demo) return seedBootstrapAdmin(db, config.adminPassword, log);
  return seedDemo(db, log, { today: config.today, uploadDir: config.uploadDir });
}

/**
 * The demo's "today": late in the plan's year, with December open and April–November closed, so
 * the first dashboard shows a year of reporting with most targets met and a few lagging.
 */
export const DEMO_TODAY = '2018-12-20';

/**
 * The date a server on `db` should take as today when LUOSHI_TODAY is unset: the demo's date on a
 * demo database (the one it was seeded to), DEMO_TODAY on an empty database the demo is about to
 * load into, else undefined (the real date).
 */
export async function demoToday(db: Db, config: Pick<Config, 'demo' | 'today'>): Promise<string | undefined> {
  if (config.today) return config.today;
  const row = await db.selectFrom('demo_clock').select('today').where('id', '=', 1).executeTakeFirst();
  if (row) return row.today;
  return config.demo && (await isEmpty(db)) ? DEMO_TODAY : undefined;
}

/**
 * The demo's reporting schedule: monthly, due on the 5th of the next month, two days' grace,
 * closed by the period job ten days after that — the rhythm 市百城办 asks of the counties.
 * Starts with the plan's year, so the job never opens a period before the plan existed.
 */
/** The county that objects to a line of the demo's half-year assessment (the `qixian` account's). */
const DEMO_OBJECTOR = '淇县政府';

export const DEMO_SCHEDULE = { frequency: 'monthly', dueDay: 5, graceDays: 2, closeAfterDays: 10, startDate: '2018-04-01' } as const;

async function seedBootstrapAdmin(db: Db, configured: string | undefined, log: SeedLog): Promise<SeedResult> {
  const password = configured ?? randomBytes(12).toString('base64url');
  const username = await ensureBootstrapAdmin(db, password);
  if (!username) return { kind: 'skipped', reason: 'accounts already exist' };
  if (configured) {
    log.warn(`created the first administrator "${username}" with the password from LUOSHI_ADMIN_PASSWORD`);
  } else {
    // Shown once: it is not stored anywhere but as a hash.
    log.warn(`created the first administrator "${username}" with the generated password ${password} (change it after signing in)`);
  }
  return { kind: 'bootstrap-admin', username };
}

/**
 * Loads the Hebi demo into an empty database; exported for `luoshi demo`. With the plan confirmed
 * it stores {@link DEMO_SCHEDULE} from the plan's first month and, with `history` (the default),
 * seeds the record up to `today` (LUOSHI_TODAY, else {@link DEMO_TODAY}): every month whose closing
 * day has come reported, reviewed and closed with its snapshot, and 督办 notices (demo-history.ts);
 * the project library is created first, so each of those months carries its projects' 调度 too
 * (projects.demo.ts, through the history's hook). Then one period tick for `today`, so the period
 * containing it is open at first sign-in, and that month's 调度 as far as filed by today. Without
 * `history` (tests that need a clean slate) only that period is opened. The demo's date is kept in
 * `demo_clock`, so a restarted server stays on it.
 */
export async function seedDemo(
  db: Db,
  log: SeedLog,
  options: { today?: string; history?: boolean; uploadDir?: string } = {},
): Promise<SeedResult> {
  const today = options.today ?? DEMO_TODAY;
  const withHistory = options.history !== false;
  const registry = OrgRegistryFile.parse(JSON.parse(await readFile(DEMO_REGISTRY_FILE, 'utf8')));
  await importRegistry(db, null, registry);

  // The registry may lack a leadership body or the office; the accounts need both to exist.
  const orgIds = new Map((await exportRegistry(db)).organisations.map((o) => [o.name, o.id]));
  for (const account of DEMO_ACCOUNTS) {
    if (orgIds.has(account.orgName)) continue;
    const kind = account.role === 'unit' ? 'jurisdiction' : 'office';
    await importRegistry(db, null, {
      organisations: [{ id: `demo-${account.username}`, name: account.orgName, aliases: [], kind }],
    });
  }
  const { items } = await listOrganisations(db);
  const idByName = new Map(items.map((o) => [o.name, o.id]));
  // Hebi is one city of the province (issue 12): declared before its plan is imported, so the
  // plan and everything after it are the city's.
  const provinceId = await declareDemoProvince(db, idByName.get(HEBI_OFFICE)!);

  let adminActor: Actor | null = null;
  const actorsByOrg = new Map<string, Actor>();
  for (const account of DEMO_ACCOUNTS) {
    const user = await createUser(db, null, {
      username: account.username,
      displayName: account.displayName,
      orgId: idByName.get(account.orgName)!,
      role: account.role,
      password: account.password,
    });
    const actor: Actor = { userId: user.id, orgId: user.orgId, role: user.role, displayName: user.displayName };
    if (account.role === 'admin') adminActor = actor;
    else actorsByOrg.set(user.orgId, actor);
  }

  await seedInstallationSettings(db, { name: '鹤壁市百城建设提质工程台账', officeName: '市百城办' });
  const text = await readFile(DEMO_PLAN_FILE, 'utf8');
  const { draft, confirmed } = await importPlanText(db, adminActor, { text, filename: path.basename(DEMO_PLAN_FILE) });
  if (!confirmed) {
    log.warn(`demo plan left as a draft import: unresolved units ${draft.unresolved.map((u) => u.name).join('、')}`);
  }
  if (adminActor) await seedCoverageDemo(db, adminActor);
  let openedPeriods: string[] = [];
  let history: { closedPeriods: number; reports: number; notices: number } | null = null;
  let assessmentId: string | null = null;
  if (confirmed) {
    // Saving the schedule opens the period containing the day given: the plan's first month when
    // the year is to be replayed, else today's. The tick is what the job runs next.
    const startDay = withHistory && DEMO_SCHEDULE.startDate < today ? DEMO_SCHEDULE.startDate : today;
    await putSchedule(db, confirmed.planId, { ...DEMO_SCHEDULE }, adminActor, { today: startDay });
    if (adminActor) await resolveDemoLabels(db, confirmed.planId, adminActor, idByName);
    // The project library exists before the record is replayed, so each month's 调度 is filed in
    // its month (the history's hook) like the task reports, not all at once in today's period.
    // With the upload directory (the server's and `luoshi demo`'s), the projects carry their demo files.
    const library = await seedDemoProjects(db, confirmed.planId, { uploadDir: options.uploadDir, today });
    if (startDay !== today && adminActor) {
      history = await seedDemoHistory(
        db,
        confirmed.planId,
        today,
        adminActor,
        { byOrg: actorsByOrg, orgIdByName: idByName },
        { beforeClose: library.fileMonth },
      );
    }
    await runPeriodTick(db, today);
    const open = (await listPeriods(db, confirmed.planId)).items.filter((p) => p.status === 'open');
    openedPeriods = open.map((p) => p.id);
    for (const period of open) if (period.start <= today) await library.fileMonth(period);
    await library.finish();
    const schemeId = await seedDemoAssessmentScheme(db, confirmed.planId, adminActor);
    const objector = actorsByOrg.get(idByName.get(DEMO_OBJECTOR) ?? '');
    assessmentId = await seedDemoAssessments(
      db,
      { planId: confirmed.planId, schemeId, year: Number(DEMO_SCHEDULE.startDate.slice(0, 4)), today, objector },
      adminActor,
    );
  }
  const secondCity = await seedSecondCity(db, provinceId, today, { history: withHistory && DEMO_SCHEDULE.startDate < today });
  await db.insertInto('demo_clock').values({ id: 1, today, created_at: new Date().toISOString() }).execute();
  if (adminActor) await publishDemoPeriods(db, adminActor, today);
  log.warn(
    `demo data loaded as of ${today} (${confirmed?.taskCount ?? 0} tasks, ${history ? `${history.closedPeriods} months closed, ${history.reports} reports, ${history.notices} 督办 notices, ` : ''}${openedPeriods.length} reporting period open${assessmentId ? ', the first half-year assessed and bulletined' : ''}). DEMO-ONLY accounts, change or disable before real use: ` +
      [...DEMO_ACCOUNTS, ...PROVINCE_DEMO_ACCOUNTS].map((a) => `${a.username} / ${a.password} (${a.role}, ${a.orgName})`).join('; ') +
      `; the second city (${secondCity.taskCount} tasks, ${secondCity.closedPeriods} months closed) is synthetic`,
  );
  return {
    kind: 'demo',
    planId: confirmed?.planId ?? null,
    taskCount: confirmed?.taskCount ?? 0,
    accounts: [...DEMO_ACCOUNTS, ...PROVINCE_DEMO_ACCOUNTS].map((a) => a.username),
    openedPeriods,
    today,
    history,
    secondCity,
  };
}
