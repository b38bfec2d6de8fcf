/**
 * The Hebi demo's project library (issue 14): about sixty projects over the five districts in
 * the categories the 2018 plan names, each district with its own number and mix of life-cycle
 * states, plausible investments and funding mixes, linked to the plan's 公厕/学校/管廊 targets, a
 * monthly 调度 for every month of a started project from its start (filed and reviewed on the
 * demo's calendar, month by month as the demo history closes them), and two 调整. Deterministic
 * (seeded generators), created through the services so every row is validated, audited and
 * counted in the year figures like a user's. Hebi-specific on purpose: demo data only.
 */
import type { ProjectReport } from '../../../shared/schemas/project.schema.ts';
import type { ReportingPeriod } from '../../../shared/schemas/reporting.schema.ts';
import { addDays } from '../../../shared/china-date.ts';
import type { Actor } from '../../core/actor.ts';
import { writeTx } from '../../core/transaction.ts';
import type { Db } from '../../db/database.ts';
import { listOrganisations } from '../organisations/organisations.service.ts';
import { listTasks } from '../plans/tasks.service.ts';
import { listUsers } from '../users/users.service.ts';
import type { Boundary } from './project-boundary.rule.ts';
import { loadBoundary } from './project-boundary.rule.ts';
import { demoPdf, demoSitePhoto } from './project-files.demo.ts';
import { addProjectFile } from './project-files.service.ts';
import { reviewProjectReport, saveProjectReport } from './project-reports.service.ts';
import { findProjectRow } from './projects.repository.ts';
import {
  acceptProject,
  completeProject,
  createChangeRequest,
  createProject,
  decideChangeRequest,
  reviewProject,
  submitProject,
  transition,
} from './projects.service.ts';

const DISTRICTS = [
  {
    org: '淇滨区政府',
    name: '淇滨区',
    at: [114.298789, 35.741592],
    streets: ['九州路', '华夏南路', '淇河路', '黎阳路', '长江路', '兴鹤大街'],
  },
  { org: '山城区政府', name: '山城区', at: [114.184318, 35.898033], streets: ['红旗街', '朝阳路', '山城路', '矿山路', '长风路', '建设路'] },
  {
    org: '鹤山区政府',
    name: '鹤山区',
    at: [114.163258, 35.954611],
    streets: ['鹤山街', '中山路', '九矿路', '红卫路', '鹤煤大道', '东头村路'],
  },
  {
    org: '淇县政府',
    name: '淇县',
    at: [114.208828, 35.622507],
    streets: ['朝歌路', '摘心台路', '淇河大道', '卫都路', '太行路', '云梦大道'],
  },
  { org: '浚县政府', name: '浚县', at: [114.55091, 35.67636], streets: ['黎阳路', '浮丘路', '卫溪路', '文治路', '大伾路', '古城路'] },
] as const;

/** Category, name pattern, investment range in 万元, funding mix (source: share), the contribution's target word and amount. */
interface Kind {
  code: string;
  label: (street: string) => string;
  wan: readonly [number, number];
  mix: Record<string, number>;
  target?: string;
  amount?: number;
}

const KINDS: readonly Kind[] = [
  {
    code: 'public_toilet',
    label: (s: string) => `${s}新建公厕`,
    wan: [40, 90],
    mix: { county: 0.6, municipal: 0.4 },
    target: '公厕',
    amount: 2,
  },
  {
    code: 'back_street',
    label: (s: string) => `${s}背街小巷综合改造`,
    wan: [300, 1500],
    mix: { county: 0.5, provincial: 0.2, special_bond: 0.3 },
  },
  { code: 'park', label: (s: string) => `${s}街头游园建设`, wan: [120, 600], mix: { county: 0.7, social: 0.3 } },
  {
    code: 'school',
    label: (s: string) => `${s}义务教育学校新建`,
    wan: [3000, 8000],
    mix: { central: 0.3, provincial: 0.2, county: 0.2, special_bond: 0.3 },
    target: '学校',
    amount: 1,
  },
  {
    code: 'heating',
    label: (s: string) => `${s}集中供热管网改造`,
    wan: [1200, 5000],
    mix: { policy_finance: 0.4, social: 0.4, county: 0.2 },
  },
  {
    code: 'old_community',
    label: (s: string) => `${s}老旧小区改造`,
    wan: [600, 3000],
    mix: { central: 0.5, provincial: 0.1, county: 0.4 },
  },
  {
    code: 'utility_tunnel',
    label: (s: string) => `${s}地下综合管廊`,
    wan: [9000, 30000],
    mix: { special_bond: 0.4, policy_finance: 0.3, social: 0.2, county: 0.1 },
    target: '管廊',
    amount: 2,
  },
  { code: 'road', label: (s: string) => `${s}道路改造提升`, wan: [1500, 8000], mix: { county: 0.4, special_bond: 0.4, provincial: 0.2 } },
  { code: 'water_supply', label: (s: string) => `${s}供水管网改造`, wan: [500, 2500], mix: { county: 0.5, policy_finance: 0.5 } },
];

/** 形象进度 as a site reports it, by kind: early works, the main works, finishing (then 完工). */
const STAGES: Record<string, readonly [string, string, string]> = {
  public_toilet: ['基础开挖及垫层施工', '主体砌筑', '内外装修及洁具安装'],
  back_street: ['雨污分流管网改造', '路面铺装及立面整治', '路灯、标识及绿化补植'],
  park: ['土方造型及园路基层', '园路铺装及景观小品', '绿化种植及设施安装'],
  school: ['基础及地下室施工', '主体结构施工', '二次结构及装饰装修'],
  heating: ['管沟开挖', '管网敷设及焊接', '保温、试压及回填'],
  old_community: ['屋面防水及外墙保温', '管网改造及立面整治', '道路、停车及绿化提升'],
  utility_tunnel: ['基坑开挖及支护', '主体结构浇筑', '附属设施及管线入廊'],
  road: ['路基施工', '基层及面层摊铺', '人行道、标线及绿化'],
  water_supply: ['管沟开挖', '管道敷设及阀门井砌筑', '试压冲洗及路面恢复'],
};

/** Problems a monthly 调度 raises now and then (the office reads them on the project page). */
const PROBLEMS = [
  '部分资金未到位',
  '雨季影响施工进度',
  '管线迁改协调难度大',
  '个别地块征迁未完成，影响作业面',
  '环保管控期间停工',
] as const;

const STATES = ['draft', 'submitted', 'returned', 'reserve', 'admitted', 'in_progress', 'completed', 'accepted'] as const;
type DemoState = (typeof STATES)[number];

/**
 * Each district's 2018 library (about sixty projects in all): how many projects and how its mix
 * leans (weights in STATES order), so the dashboard's counts per county differ as they would:
 * 淇滨区, the central district, has the most under way; 鹤山区, the old mining district, the
 * fewest and more of them still in 谋划 or returned.
 */
const MIX: Record<string, { count: number; weights: readonly number[] }> = {
  淇滨区: { count: 16, weights: [1, 1, 0.5, 1, 1.5, 6, 2, 2] },
  山城区: { count: 11, weights: [1.5, 1, 1, 1, 2, 4, 1, 1] },
  鹤山区: { count: 8, weights: [2, 1, 2, 1, 2, 3, 0.5, 0.5] },
  淇县: { count: 12, weights: [1, 1.5, 1, 1, 2, 5, 1.5, 1] },
  浚县: { count: 13, weights: [1, 1, 1, 2, 2, 5, 1, 1.5] },
};

/** Short works that are done within the year (what the completed and accepted projects are). */
const QUICK_KINDS = ['public_toilet', 'park', 'back_street', 'water_supply'];

function generator(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return x / 2_147_483_648;
  };
}

/**
 * The state of every project, district by district: drawn by the district's weights, then
 * mended so every state is somewhere and every district has work under way. Deterministic.
 */
export function demoProjectStates(random: () => number = generator(7)): Record<string, DemoState[]> {
  const out: Record<string, DemoState[]> = {};
  for (const [name, mix] of Object.entries(MIX)) {
    const sum = mix.weights.reduce((a, w) => a + w, 0);
    out[name] = Array.from({ length: mix.count }, () => {
      const r = random() * sum;
      let upTo = 0;
      const i = mix.weights.findIndex((w) => {
        upTo += w;
        return r < upTo;
      });
      return STATES[i < 0 ? STATES.length - 1 : i]!;
    });
  }
  const names = Object.keys(MIX);
  for (const name of names) if (!out[name]!.includes('in_progress')) out[name]![0] = 'in_progress';
  for (const [k, state] of STATES.entries()) {
    if (names.some((n) => out[n]!.includes(state))) continue;
    // The district leaning most to the missing state takes it in place of one of its commonest.
    const name = names.reduce((a, b) => (MIX[b]!.weights[k]! > MIX[a]!.weights[k]! ? b : a));
    const list = out[name]!;
    list[list.lastIndexOf('in_progress') > 0 ? list.lastIndexOf('in_progress') : list.length - 1] = state;
  }
  // In life-cycle order, so a district's list reads from 谋划 to 验收.
  for (const name of names) out[name]!.sort((a, b) => STATES.indexOf(a) - STATES.indexOf(b));
  return out;
}

/** Integer 元 split by shares; the first source takes the rounding remainder, so the rows sum exactly. */
function split(totalYuan: number, mix: Record<string, number>): { sourceCode: string; planned: number; arrived: number }[] {
  const rows = Object.entries(mix).map(([sourceCode, share]) => ({
    sourceCode,
    planned: Math.floor((totalYuan * share) / 10_000) * 10_000,
    arrived: 0,
  }));
  rows[0]!.planned += totalYuan - rows.reduce((a, r) => a + r.planned, 0);
  return rows;
}

const wanFloor = (yuan: number) => Math.max(0, Math.floor(yuan / 10_000) * 10_000);
const month = (d: string) => d.slice(0, 7);
const monthsFrom = (from: string, to: string) => {
  const [ya, ma] = from.split('-').map(Number) as [number, number];
  const [yb, mb] = to.split('-').map(Number) as [number, number];
  return (yb - ya) * 12 + (mb - ma);
};
const lastDay = (ym: string) => {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  return `${ym}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
};
/** A moment on a demo day, in the working day in China. */
const at = (day: string, hour = 10) => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`).toISOString();

/** One project of the demo library as the seed walks it month by month. */
interface Walk {
  id: string;
  seed: number;
  state: DemoState;
  kind: Kind;
  unit: Actor;
  startMonth: string;
  /** completed/accepted: the month the works finish. */
  doneMonth: string | null;
  endDate: string;
  total: number;
  annual: number;
  /** How fast it goes against its plan (1 = on the line to its planned completion). */
  pace: number;
  funding: { sourceCode: string; planned: number; arrived: number }[];
  /** Per source, what may still arrive (planned less arrived). */
  toArrive: Map<string, number>;
  investedYear: Map<number, number>;
  investedTotal: number;
  reports: number;
  lastPct: number;
}

/** What the demo seed does with the library after creating it: its months, then the states left to reach. */
export interface DemoProjectLibrary {
  /** Projects created (the 2018 library and the 2019 intake). */
  created: number;
  /**
   * Files each started project's 调度 for `period` (an open period of the plan) on the demo's
   * calendar: a period closed by `today` is reported, reviewed (mostly approved, a few returned and
   * resubmitted) as the office did that month; the period open today is partly filed (submitted,
   * awaiting review) and partly still a draft. Completions and acceptances fall in their months.
   */
  fileMonth(period: ReportingPeriod): Promise<void>;
  /** After the last month: moves what the calendar did not reach (a short record) to its state, and files the 调整 requests. */
  finish(): Promise<void>;
}

/**
 * Creates the demo library on a database that has the Hebi registry, demo accounts and the
 * confirmed 2018 plan `planId`: each district's projects, taken through 报送 and 审查 to their
 * state (with the demo's early-2018 dates), and next year's intake. Monthly reports are filed by
 * the returned {@link DemoProjectLibrary.fileMonth}, which the demo history calls for every month
 * before closing it (demo-history.ts) and the seed for the month open today. With `uploadDir`,
 * every third project carries its 立项批复 as a PDF (附件) and a started project's first and latest
 * submitted reports a site photo (现场照片), stored through the evidence store as uploads are.
 */
export async function seedDemoProjects(
  db: Db,
  planId: string,
  options: { uploadDir?: string; boundaryFile?: string; today: string },
): Promise<DemoProjectLibrary> {
  const boundaryFile = options.boundaryFile ?? './samples/geo/hebi-districts.geojson';
  const { uploadDir, today } = options;
  const boundary: Boundary = loadBoundary(boundaryFile);
  const orgs = new Map((await listOrganisations(db)).items.map((o) => [o.name, o.id]));
  const users = (await listUsers(db)).items;
  const adminUser = users.find((u) => u.role === 'admin');
  const nothing: DemoProjectLibrary = { created: 0, fileMonth: async () => {}, finish: async () => {} };
  if (!adminUser) return nothing;
  const actorOf = (u: (typeof users)[number]): Actor => ({ userId: u.id, orgId: u.orgId, role: u.role, displayName: u.displayName });
  const admin = actorOf(adminUser);
  const targets = (await listTasks(db, planId, { limit: 500, offset: 0 }, '2018-01-01')).items.flatMap((t) => t.targets);
  const targetFor = (word?: string) => (word ? targets.find((t) => t.metric.includes(word) || t.text.includes(word)) : undefined);
  const random = generator(2018);
  const states = demoProjectStates();
  const walks: Walk[] = [];
  let created = 0;
  for (const [d, district] of DISTRICTS.entries()) {
    const orgId = orgs.get(district.org);
    if (!orgId) continue;
    // The county's own account acts for it when the demo has one (淇县), else the office files for it.
    const own = users.find((u) => u.role === 'unit' && u.orgId === orgId);
    const unit = own ? actorOf(own) : admin;
    for (const [i, state] of (states[district.name] ?? []).entries()) {
      const started = state === 'in_progress' || state === 'completed' || state === 'accepted';
      const finished = state === 'completed' || state === 'accepted';
      const quick = KINDS.filter((k) => QUICK_KINDS.includes(k.code));
      const kind = finished ? quick[(i + d) % quick.length]! : KINDS[(i + d * 2) % KINDS.length]!;
      const street = district.streets[i % district.streets.length]!;
      const wan = Math.round(kind.wan[0] + random() * (kind.wan[1] - kind.wan[0]));
      const total = wan * 10_000;
      const multiYear = kind.code === 'utility_tunnel' || kind.code === 'school';
      const annual = multiYear ? Math.round(total * 0.4) : total;
      const funding = split(total, kind.mix);
      // Money entered on the funding rows when the project was entered: a first tranche of a started one.
      if (started) for (const f of funding) f.arrived = wanFloor(f.planned * (0.1 + random() * 0.1));
      // Started projects began between April (the plan's first month) and June; the others plan a later start.
      const startMonth = started
        ? `2018-0${4 + Math.floor(random() * 3)}`
        : `2018-${String(7 + Math.floor(random() * 5)).padStart(2, '0')}`;
      // The works of a completed project took two to four months; an accepted one finished earlier.
      const doneMonth = finished
        ? `2018-${String(Number(startMonth.slice(5)) + (state === 'accepted' ? 2 : 3) + Math.floor(random() * 2)).padStart(2, '0')}`
        : null;
      // In-year works under way are planned to finish at the year's end or in the spring.
      const endDate = multiYear
        ? '2019-12-31'
        : doneMonth
          ? lastDay(doneMonth)
          : ['2018-12-31', '2019-03-31', '2018-12-31', '2019-05-31'][i % 4]!;
      const target = targetFor(kind.target);
      const docNo = `鹤发改〔2018〕${100 + d * 16 + i}号`;
      const body = {
        name: kind.label(`${district.name}${street}`),
        categoryCode: kind.code,
        ownerName: `${district.name}住房和城乡建设局`,
        location: { lng: district.at[0] + (random() - 0.5) * 0.04, lat: district.at[1] + (random() - 0.5) * 0.04, datum: 'GCJ02' as const },
        address: `${district.name}${street}`,
        nature: (i % 3 === 0 ? 'expansion' : 'new') as 'new' | 'expansion',
        scale: `${kind.label('')}，${district.name}${street}一带`,
        startDate: `${startMonth}-01`,
        endDate,
        totalInvestment: total,
        planYear: state === 'reserve' ? 2019 : 2018,
        annualPlan: annual,
        funding,
        prep: [
          { kind: 'approval' as const, state: 'done' as const, docNo, date: '2018-02-20' },
          {
            kind: 'land' as const,
            state: kind.code === 'back_street' ? ('not_needed' as const) : ('done' as const),
            docNo: '',
            date: null,
          },
          { kind: 'construction' as const, state: started ? ('done' as const) : ('pending' as const), docNo: '', date: null },
        ],
        taskIds: target ? [target.taskId] : [],
        targets: target ? [{ targetId: target.id, contribution: kind.amount ?? 1 }] : [],
      };
      const p = await createProject(db, unit, { ...body, orgId }, boundary);
      created += 1;
      // The demo's calendar: entered in late February, 报送 in early March, 审查 a week later.
      const entered = `2018-02-${String(21 + (i % 7)).padStart(2, '0')}`;
      await datedProject(db, p.id, at(entered), 'draft', at(entered));
      if (uploadDir && i % 3 === 1) {
        const pdf = demoPdf([
          `Project approval (Luoshi demo)`,
          `Hebi DRC 2018 No. ${100 + d * 16 + i}`,
          `Total investment: ${wan} x 10k CNY`,
        ]);
        await addProjectFile(db, uploadDir, p.id, { bytes: pdf, filename: `立项批复（${docNo}）.pdf` }, null, unit);
      }
      if (state === 'draft') continue;
      const submittedOn = `2018-03-0${1 + (i % 5)}`;
      const version = (await submitProject(db, unit, p.id, { version: p.version, note: '' })).version;
      await datedProject(db, p.id, at(entered), 'submitted', at(submittedOn));
      if (state === 'submitted') continue;
      const reviewedOn = `2018-03-${String(10 + (i % 5)).padStart(2, '0')}`;
      if (state === 'returned') {
        await reviewProject(db, admin, p.id, {
          version,
          decision: 'return',
          note: '前期手续不全，请补充用地和规划许可后重新报送',
          planYear: undefined,
        });
        await datedProject(db, p.id, at(entered), 'returned', at(reviewedOn, 15));
        continue;
      }
      if (state === 'reserve') {
        await reviewProject(db, admin, p.id, { version, decision: 'reserve', note: '列入2019年储备', planYear: 2019 });
        await datedProject(db, p.id, at(entered), 'reserve', at(reviewedOn, 15));
        continue;
      }
      await reviewProject(db, admin, p.id, { version, decision: 'admit', note: '', planYear: 2018 });
      await datedProject(db, p.id, at(entered), 'admitted', at(reviewedOn, 15));
      if (!started) continue;
      walks.push({
        id: p.id,
        seed: 2018 + d * 16 + i,
        state,
        kind,
        unit,
        startMonth,
        doneMonth,
        endDate,
        total,
        annual,
        // Most keep to their line; one in five lags (and says why).
        pace: finished ? 1 : random() < 0.2 ? 0.55 + random() * 0.2 : 0.85 + random() * 0.2,
        funding,
        toArrive: new Map(funding.map((f) => [f.sourceCode, f.planned - f.arrived])),
        investedYear: new Map(),
        investedTotal: 0,
        reports: 0,
        lastPct: 0,
      });
    }
  }
  created += await seedIntake2019(db, admin, users, orgs, boundary, actorOf);

  const monthly = generator(2020);
  const fileMonth = async (period: ReportingPeriod) => {
    const ym = month(period.start);
    const closing = period.closeDate !== null && period.closeDate <= today;
    for (const w of walks) {
      const row = await findProjectRow(db, w.id);
      if (!row) continue;
      // Acceptance comes in the month after completion, when the office inspects the site.
      if (w.state === 'accepted' && row.status === 'completed') {
        await acceptProject(db, admin, w.id, { version: row.version, note: '验收合格' });
        await datedTransition(db, w.id, 'accepted', at(minDay(today, addDays(`${ym}-01`, 14)), 15));
        continue;
      }
      if (ym < w.startMonth || (row.status !== 'admitted' && row.status !== 'in_progress')) continue;
      await fileReport(w, period, closing);
    }
  };

  const fileReport = async (w: Walk, period: ReportingPeriod, closing: boolean) => {
    const ym = month(period.start);
    const year = Number(ym.slice(0, 4));
    const r = monthly;
    const done = w.doneMonth !== null && ym >= w.doneMonth;
    // The line to planned completion, from the start month; a lagging project runs behind it.
    const planned = Math.max(1, monthsFrom(w.startMonth, month(w.endDate)) + 1);
    const elapsed = monthsFrom(w.startMonth, ym) + 1;
    const share = done ? 1 : Math.min(0.95, (w.pace * elapsed) / planned);
    // This year's money follows the same line against the annual plan (multi-year: the year's share).
    const yearMonths = Math.max(
      1,
      monthsFrom(w.startMonth, `${year}-${w.endDate < `${year}-12-31` ? month(w.endDate).slice(5) : '12'}`) + 1,
    );
    const yearShare = done ? 1 : Math.min(0.97, (w.pace * elapsed) / yearMonths);
    const soFar = w.investedYear.get(year) ?? 0;
    const jitter = done ? 1 : 0.8 + r() * 0.4;
    const investment = Math.max(0, Math.min(w.annual - soFar, wanFloor((w.annual * yearShare - soFar) * jitter)));
    const pct = done ? 100 : Math.max(w.lastPct, Math.min(95, Math.round(share * 100 + (r() - 0.5) * 6)));
    const stages = STAGES[w.kind.code] ?? ['基础施工', '主体施工', '附属工程'];
    const progressText = done
      ? '全部完工，具备验收条件'
      : w.reports === 0
        ? `开工建设，${stages[0]}`
        : pct < 40
          ? stages[0]
          : pct < 75
            ? stages[1]
            : stages[2];
    const lagging = w.pace < 0.8;
    const problems = (lagging && r() < 0.6) || r() < 0.12 ? PROBLEMS[Math.floor(r() * PROBLEMS.length)]! : '';
    // Part of the month's money arrives, from the sources in turn (never more than a source still owes).
    const arrivals: { sourceCode: string; amount: number }[] = [];
    let toCome = wanFloor(investment * (0.5 + r() * 0.4));
    for (const f of w.funding) {
      if (toCome <= 0) break;
      const amount = Math.min(toCome, w.toArrive.get(f.sourceCode) ?? 0);
      if (amount <= 0) continue;
      arrivals.push({ sourceCode: f.sourceCode, amount });
      w.toArrive.set(f.sourceCode, (w.toArrive.get(f.sourceCode) ?? 0) - amount);
      toCome -= amount;
    }
    const report = { periodId: period.id, investment, progressText, progressPct: pct, problems, started: true, arrivals };
    // The unit files a few days before the due day (a late one after it); the office reviews two days later.
    const filedOn = closing
      ? addDays(period.dueDate, -Math.floor(r() * 5) + (r() < 0.1 ? 3 : 0))
      : maxDay(period.start, addDays(today, -Math.floor(r() * 6)));
    // The month open today: most have filed (awaiting review), a few still hold a draft.
    const draftOnly = !closing && !done && r() < 0.2;
    // A photo of the site with the first report, the completion report and the month open today.
    let saved: ProjectReport;
    if (uploadDir && !draftOnly && (w.reports === 0 || done || !closing)) {
      // As a unit files it: save a draft, attach the photo, then submit.
      const draft = await saveProjectReport(db, w.unit, w.id, { ...report, submit: false });
      await addProjectFile(
        db,
        uploadDir,
        w.id,
        { bytes: demoSitePhoto(w.seed * 31 + w.reports, pct), filename: `现场照片-${period.label}.png` },
        draft.id,
        w.unit,
      );
      saved = await saveProjectReport(db, w.unit, w.id, { ...report, submit: true });
    } else {
      saved = await saveProjectReport(db, w.unit, w.id, { ...report, submit: !draftOnly });
    }
    let last = at(filedOn);
    if (w.reports === 0) await datedTransition(db, w.id, 'in_progress', last);
    if (closing) {
      // A few go back for more evidence and come again; a few of November's still await review.
      if (r() < 0.08) {
        saved = await reviewProjectReport(db, admin, saved.id, {
          version: saved.version,
          decision: 'return',
          note: '请补充现场照片和投资完成凭证',
        });
        saved = await saveProjectReport(db, w.unit, w.id, { ...report, submit: true });
        last = at(addDays(filedOn, 3), 9);
      }
      const awaiting = period.closeDate !== null && addDays(period.closeDate, 31) > today && r() < 0.25;
      if (!awaiting) {
        await reviewProjectReport(db, admin, saved.id, { version: saved.version, decision: 'approve', note: '' });
        last = at(addDays(filedOn, r() < 0.5 ? 2 : 4), 15);
      }
    }
    await datedReport(db, saved.id, at(addDays(filedOn, -1), 16), last);
    w.investedYear.set(year, soFar + investment);
    w.investedTotal += investment;
    w.reports += 1;
    w.lastPct = pct;
    if (done) {
      const row = await findProjectRow(db, w.id);
      if (row?.status === 'in_progress') {
        const completedOn = addDays(lastDay(w.doneMonth!), -3 - Math.floor(r() * 10));
        await completeProject(db, w.unit, w.id, { version: row.version, completedOn, note: '' });
        await datedTransition(db, w.id, 'completed', at(filedOn, 11));
      }
    }
  };

  const finish = async () => {
    for (const w of walks) {
      let row = await findProjectRow(db, w.id);
      if (!row) continue;
      // A record too short to reach a project's start or end (another LUOSHI_TODAY): its state is set all the same.
      if (row.status === 'admitted') {
        await writeTx(db, (trx) => transition(trx, w.unit, row!, 'in_progress', '已开工'));
        row = await findProjectRow(db, w.id);
      }
      if (row && row.status === 'in_progress' && w.state !== 'in_progress') {
        const completedOn = maxDay(minDay(today, lastDay(w.doneMonth!)), `${w.startMonth}-01`);
        await completeProject(db, w.unit, w.id, { version: row.version, completedOn, note: '' });
        row = await findProjectRow(db, w.id);
      }
      if (row && row.status === 'completed' && w.state === 'accepted')
        await acceptProject(db, admin, w.id, { version: row.version, note: '验收合格' });
    }
    await seedChangeRequests(db, walks, admin, boundary, today);
  };
  return { created, fileMonth, finish };
}

const minDay = (a: string, b: string) => (a < b ? a : b);
const maxDay = (a: string, b: string) => (a > b ? a : b);

/**
 * Two 调整 (change requests) on projects under way, through the service: one approved in autumn
 * (the works extended after utility relocation took longer), one filed this month and pending.
 */
async function seedChangeRequests(db: Db, walks: readonly Walk[], admin: Actor, boundary: Boundary, today: string): Promise<void> {
  const running = walks.filter((w) => w.state === 'in_progress' && w.endDate < '2019-01-01');
  const [first, second] = [running.find((w) => w.pace < 0.8) ?? running[0], running.find((w) => w.unit.role === 'unit') ?? running[1]];
  if (first) {
    const cr = await createChangeRequest(
      db,
      first.unit,
      first.id,
      { what: '计划完工日期顺延至2019年6月30日', why: '管线迁改协调时间长于预期，影响主体施工', patch: { endDate: '2019-06-30' } },
      boundary,
    );
    await decideChangeRequest(db, admin, cr.id, { decision: 'approve', note: '同意顺延，请倒排工期' }, boundary);
    await datedChangeRequest(db, cr.id, at(minDay(today, '2018-09-12')), at(minDay(today, '2018-09-18'), 15));
  }
  if (second && second !== first) {
    const cr = await createChangeRequest(
      db,
      second.unit,
      second.id,
      { what: '计划完工日期顺延至2019年4月30日', why: '冬季施工受限，部分附属工程需待来年春季完成', patch: { endDate: '2019-04-30' } },
      boundary,
    );
    await datedChangeRequest(db, cr.id, at(minDay(today, '2018-12-14')), null);
  }
}

// ---- the demo's calendar on the library's own rows (the services stamp the seed's clock) ----
// As the demo history does for reports and notices: each row is written by its service (validated,
// audited), then its own dates are set to the demo's 2018; only the audit log says when the seed ran.

/** A project's entry date and the date of its latest transition (to `to`). */
async function datedProject(db: Db, id: string, entered: string, to: string, when: string): Promise<void> {
  await db.updateTable('projects').set({ created_at: entered }).where('id', '=', id).execute();
  if (to === 'draft') await db.updateTable('project_transitions').set({ created_at: entered }).where('project_id', '=', id).execute();
  else await datedTransition(db, id, to, when);
}

/** The project's move to `to` (not a 调整, which keeps the status) happened on `when`. */
async function datedTransition(db: Db, id: string, to: string, when: string): Promise<void> {
  await db
    .updateTable('project_transitions')
    .set({ created_at: when })
    .where('project_id', '=', id)
    .where('to_status', '=', to)
    .where((eb) => eb.or([eb('from_status', 'is', null), eb('from_status', '<>', to)]))
    .execute();
  await db.updateTable('projects').set({ updated_at: when }).where('id', '=', id).execute();
}

async function datedReport(db: Db, id: string, created: string, updated: string): Promise<void> {
  await db.updateTable('project_reports').set({ created_at: created, updated_at: updated }).where('id', '=', id).execute();
  await db.updateTable('project_files').set({ created_at: created }).where('project_report_id', '=', id).execute();
}

/** A change request filed on `filed` and (when decided) decided on `decided`, with its 调整 entry on the timeline. */
async function datedChangeRequest(db: Db, id: string, filed: string, decided: string | null): Promise<void> {
  const cr = await db.selectFrom('project_change_requests').select('project_id').where('id', '=', id).executeTakeFirstOrThrow();
  await db.updateTable('project_change_requests').set({ created_at: filed, decided_at: decided }).where('id', '=', id).execute();
  if (decided)
    await db
      .updateTable('project_transitions')
      .set({ created_at: decided })
      .where('project_id', '=', cr.project_id)
      .whereRef('from_status', '=', 'to_status')
      .execute();
}

/**
 * Next year's intake (2019年度项目谋划), as it stands on the demo's 2018-12-20: the office's
 * deadline (11月30日) has passed; 淇滨区 and 浚县 have submitted everything, 山城区, 鹤山区 and
 * 淇县 still hold drafts or a returned project (overdue on the intake page). 年度结转 of 2018 is
 * left for the office to preview and run (the multi-year 学校/管廊 projects continue).
 */
async function seedIntake2019(
  db: Db,
  admin: Actor,
  users: Awaited<ReturnType<typeof listUsers>>['items'],
  orgs: Map<string, string>,
  boundary: Boundary,
  actorOf: (u: Awaited<ReturnType<typeof listUsers>>['items'][number]) => Actor,
): Promise<number> {
  const plan: Record<string, readonly ('draft' | 'submitted' | 'returned')[]> = {
    淇滨区: ['submitted', 'submitted', 'submitted'],
    山城区: ['draft', 'submitted'],
    鹤山区: ['draft', 'returned'],
    淇县: ['submitted', 'draft'],
    浚县: ['submitted', 'submitted'],
  };
  const random = generator(2019);
  let created = 0;
  for (const [d, district] of DISTRICTS.entries()) {
    const orgId = orgs.get(district.org);
    if (!orgId) continue;
    const own = users.find((u) => u.role === 'unit' && u.orgId === orgId);
    const unit = own ? actorOf(own) : admin;
    for (const [i, state] of (plan[district.name] ?? []).entries()) {
      const kind = KINDS[(i * 3 + d) % KINDS.length]!;
      const street = district.streets[(i + 3) % district.streets.length]!;
      const total = Math.round(kind.wan[0] + random() * (kind.wan[1] - kind.wan[0])) * 10_000;
      const p = await createProject(
        db,
        unit,
        {
          name: `${kind.label(`${district.name}${street}`)}（2019）`,
          categoryCode: kind.code,
          ownerName: `${district.name}住房和城乡建设局`,
          location: { lng: district.at[0] + (random() - 0.5) * 0.04, lat: district.at[1] + (random() - 0.5) * 0.04, datum: 'GCJ02' },
          address: `${district.name}${street}`,
          nature: 'new',
          scale: `${kind.label('')}，${district.name}${street}一带`,
          startDate: '2019-03-01',
          endDate: '2019-11-30',
          totalInvestment: total,
          planYear: 2019,
          annualPlan: total,
          funding: split(total, kind.mix),
          prep: [{ kind: 'approval', state: 'pending', docNo: '', date: null }],
          taskIds: [],
          targets: [],
          orgId,
        },
        boundary,
      );
      created += 1;
      // The intake's calendar: entered in November, 报送 by the 30th, 审查 early in December.
      const entered = at(`2018-11-${String(12 + i * 3).padStart(2, '0')}`);
      await datedProject(db, p.id, entered, 'draft', entered);
      if (state === 'draft') continue;
      const version = (await submitProject(db, unit, p.id, { version: p.version, note: '' })).version;
      await datedProject(db, p.id, entered, 'submitted', at(`2018-11-${String(26 + i).padStart(2, '0')}`));
      if (state === 'returned') {
        await reviewProject(db, admin, p.id, {
          version,
          decision: 'return',
          note: '投资估算依据不足，请补充后重新报送',
          planYear: undefined,
        });
        await datedProject(db, p.id, entered, 'returned', at(`2018-12-0${4 + i}`, 15));
      }
    }
  }
  return created;
}
