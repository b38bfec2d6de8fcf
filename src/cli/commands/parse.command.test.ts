import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SEED = join(ROOT, 'test/fixtures/hebi-2018-baicheng.txt');
const SEED_TASKS = 27;
// By URL, not the bare name 'tsx': node resolves --import against the cwd, and some runs use a temp dir.
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

// Spawned exactly as scripts run it, so what reaches stdout is what a redirect would capture.
async function luoshi(args: string[], cwd = ROOT): Promise<CliRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', TSX_LOADER, join(ROOT, 'src/cli/luoshi.ts'), ...args],
      { cwd, maxBuffer: 64 * 1024 * 1024 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout: string; stderr: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('luoshi parse', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'luoshi-parse-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the PlanExtract as JSON and nothing else on stdout', async () => {
    const run = await luoshi(['parse', SEED, '--format', 'json']);
    expect(run.code).toBe(0);
    const extract = JSON.parse(run.stdout);
    expect(extract.title).toBe('鹤壁市2018年度百城建设提质工程工作实施方案');
    expect(extract.tasks).toHaveLength(SEED_TASKS);
    expect(extract.sections.length).toBeGreaterThan(0);
  });

  it('defaults to JSON and writes it to --out when asked', async () => {
    const out = join(dir, 'seed.json');
    const run = await luoshi(['parse', SEED, '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(out);
    expect(JSON.parse(await readFile(out, 'utf8')).tasks).toHaveLength(SEED_TASKS);
  });

  it('renders the markdown task breakdown', async () => {
    const run = await luoshi(['parse', SEED, '--format', 'md']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# 鹤壁市2018年度百城建设提质工程工作实施方案 任务分解表\n/);
    expect(run.stdout).toContain('## 三、重点任务');
    expect(run.stdout).toContain(`**任务 ${SEED_TASKS}**`);
    expect(run.stdout).toContain('- 牵头单位：市交通运输局');
  });

  it('writes the xlsx to --out and names the file on stderr', async () => {
    const out = join(dir, 'breakdown.xlsx');
    const run = await luoshi(['parse', SEED, '--format', 'xlsx', '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(out);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile(out)) as unknown as ArrayBuffer);
    // Title row, header row, one row per task.
    expect(workbook.worksheets[0].rowCount).toBe(2 + SEED_TASKS);
  });

  it('writes the xlsx next to the working directory without --out', async () => {
    const run = await luoshi(['parse', SEED, '--format', 'xlsx'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('hebi-2018-baicheng.xlsx');
    expect((await readFile(join(dir, 'hebi-2018-baicheng.xlsx'))).subarray(0, 2).toString()).toBe('PK');
  });

  it('reads a .docx plan', async () => {
    const run = await luoshi(['parse', join(ROOT, 'test/fixtures/sample-plan.docx')]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).tasks.length).toBeGreaterThan(0);
  });

  it('resolves units with --orgs and lists the mentions the registry lacks on stderr', async () => {
    const orgs = join(dir, 'tiny-orgs.json');
    const registry = { organisations: [{ id: 'org-jt', name: '市交通运输局', aliases: ['市交通局'], kind: 'department' }] };
    await writeFile(orgs, JSON.stringify(registry));
    const run = await luoshi(['parse', SEED, '--orgs', orgs]);
    expect(run.code).toBe(0);
    const leads = JSON.parse(run.stdout).tasks.flatMap((t: any) => t.assignment.lead);
    expect(leads.find((u: any) => u.name === '市交通运输局')?.orgId).toBe('org-jt');
    expect(run.stderr).toMatch(/^luoshi: \d+ unit mention\(s\) not in the registry:\n/);
    expect(run.stderr).toMatch(/^ {2}市城乡规划管理局: lead in tasks 1, /m);
  });

  it('explains one task by number: section, assignment and the rule behind each item', async () => {
    const run = await luoshi(['parse', SEED, '--explain', '3']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('任务 3 / 27（task）');
    expect(lines[1]).toBe('所在章节 (section)：三/(三)/1 改善城市道路环境,提高交通出行效率');
    expect(lines).toContain('分工 (assignment) [1709, 1724)：(责任单位:各县区政府、管委)');
    expect(lines.find((l) => l.includes('各县区管委'))).toContain('[role.label:责任单位, name.qualifier:各县区]');
    expect(lines.find((l) => l.includes('对象：淇县'))).toContain('本句开头的主语');
  });

  it("explains the first task whose text holds a fragment, with each deadline's pattern", async () => {
    const plan = join(dir, 'explain.txt');
    await writeFile(
      plan,
      '某市方案\n一、任务\n（一）控煤。到2020年，全市煤炭消费总量控制在800万吨标准煤以内，6月底前完成评估。（市发展改革委牵头，市财政局、交通运输局等部门分工负责）\n',
    );
    const run = await luoshi(['parse', plan, '--explain', '控煤']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('  牵头  市发展改革委 ← 名单后写“牵头” (inline 牵头)');
    expect(run.stdout).toContain('市交通运输局（原文“交通运输局”）');
    expect(run.stdout).toContain('去掉名单后的“等部门”');
    expect(run.stdout).toContain('  2020-12-31  “2020年” ← 只写年份，前有“到”：到当年年底');
    expect(run.stdout).toContain('≤ 800 万吨标准煤  指标：煤炭消费总量  对象：全市');
    expect(run.stdout).toContain('比较词“以内”在数字后');
  });

  it('says when a clause was read across the soft line breaks of a PDF or OCR page', async () => {
    const plan = join(dir, 'wrapped.txt');
    const para = (s: string) => s.match(/.{1,24}/g)?.join('\n') ?? s;
    await writeFile(
      plan,
      [
        '某市道路建设实施方案',
        '一、主要任务',
        para(
          '1.改善城市道路。到2020年，全市新建道路不少于30公里，打通断头路5条，改造背街小巷。（牵头单位：市住建局，配合单位：市交通局、市城管局）',
        ),
        para('2.加快公厕建设。新建公厕不少于12座，改造公厕20座，提升管理水平和服务质量。（牵头单位：市城管局，配合单位：各区政府）'),
        para('3.完善排水设施。消除易涝点8处，改造雨污合流管网15公里，建设海绵城市示范区。（牵头单位：市水利局）'),
      ].join('\n'),
    );
    const run = await luoshi(['parse', plan, '--explain', '1']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^版式 \(layout\)：条文跨 \d+ 个换行/m);
    expect(run.stdout).toContain('  配合  市城管局 ← 标注“配合单位：”之后 (labelled)');
    const typed = await luoshi(['parse', SEED, '--explain', '3']);
    expect(typed.stdout).not.toContain('版式 (layout)');
  });

  it('fails with one line when --explain names no task, and rejects --explain with --format', async () => {
    const run = await luoshi(['parse', SEED, '--explain', '99']);
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split('\n')).toEqual(["luoshi: 找不到任务“99”（共 27 个任务）/ no task '99' (27 tasks)"]);
    const both = await luoshi(['parse', SEED, '--explain', '1', '--format', 'json']);
    expect(both.code).toBe(2);
  });

  it('prints no why fields in the JSON without --explain', async () => {
    const run = await luoshi(['parse', SEED]);
    expect(run.stdout).not.toContain('"why"');
  });

  it('fails with one line on stderr and exit 1 for a missing file', async () => {
    const run = await luoshi(['parse', 'no-such-plan.txt']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      "luoshi: 无法读取方案文件 'no-such-plan.txt'：文件或目录不存在 (cannot read plan file: no such file or directory)\n",
    );
  });

  it('fails with one line for a file that is not a plan document', async () => {
    const bad = join(dir, 'binary.txt');
    await writeFile(bad, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]));
    const run = await luoshi(['parse', bad]);
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('binary data');
  });

  it('fails with one line for a registry that is not JSON', async () => {
    const bad = join(dir, 'orgs.json');
    await writeFile(bad, '{ not json');
    const run = await luoshi(['parse', SEED, '--orgs', bad]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^luoshi: cannot read organisation registry '.*orgs\.json': invalid JSON/);
  });

  it('rejects a registry of the wrong shape', async () => {
    const bad = join(dir, 'shape.json');
    await writeFile(bad, JSON.stringify({ organisations: [{ id: 'x' }] }));
    const run = await luoshi(['parse', SEED, '--orgs', bad]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/not an organisation registry/);
  });

  it('shows usage and exits 2 for an unknown flag or format', async () => {
    const flag = await luoshi(['parse', SEED, '--frmat', 'json']);
    expect(flag.code).toBe(2);
    expect(flag.stdout).toBe('');
    expect(flag.stderr).toContain("Unknown option '--frmat'");
    expect(flag.stderr).toContain('Usage: luoshi parse FILE');
    const format = await luoshi(['parse', SEED, '--format', 'pdf']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("unknown format 'pdf'");
  });
});

describe('luoshi', () => {
  it('lists the commands for --help', async () => {
    const run = await luoshi(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: luoshi <command>');
    expect(run.stdout).toMatch(/^ {2}parse\s+extract/m);
  });

  it('exits 2 with usage for an unknown command', async () => {
    const run = await luoshi(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("luoshi: unknown command 'frobnicate'");
    expect(run.stderr).toContain('Commands:');
  });
});
