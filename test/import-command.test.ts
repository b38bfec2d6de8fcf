import { PassThrough } from 'node:stream';
import { expect, it } from 'vitest';
import { importCommand } from '../src/cli/commands/import.command.ts';
import { describeEachDialect } from './helpers/dialects.ts';

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => {
    out += d;
  });
  stderr.on('data', (d) => {
    err += d;
  });
  const code = await importCommand.run(args, { stdout, stderr, cwd: process.cwd() });
  return { code, stdout: out, stderr: err };
}

describeEachDialect('luoshi import', (ctx) => {
  it('lists unresolved units and exits 1 without a registry, imports with one', async () => {
    const plan = 'samples/hebi-2018-baicheng.txt';
    const bare = await run([plan, '--db', ctx.url()]);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain('各县区政府');
    expect(bare.stdout).toBe('');

    const ok = await run([plan, '--orgs', 'samples/hebi-orgs.json', '--db', ctx.url()]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ taskCount: 27, title: '鹤壁市2018年度百城建设提质工程工作实施方案' });

    const missing = await run(['no-such-plan.txt', '--db', ctx.url()]);
    expect(missing.code).toBe(1);
  });
});
