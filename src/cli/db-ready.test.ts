import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { sink } from '../../test/helpers/output-sink.ts';
import { openDatabase } from '../server/db/database.ts';
import { runLuoshi } from './luoshi.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-db-ready-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]) {
  const out = sink();
  const err = sink();
  const code = await runLuoshi(args, { stdout: out.stream, stderr: err.stream, cwd: dir });
  return { code, out: out.text(), err: err.text() };
}

it('audit verify and checkpoint on a mistyped path say the file is missing and create nothing', async () => {
  const file = path.join(dir, 'typo.db');
  for (const args of [
    ['audit', 'verify', '--db', file],
    ['audit', 'checkpoint', '--db', file, '--out', path.join(dir, 'cp.json')],
  ]) {
    const r = await cli(args);
    expect(r.code).toBe(1);
    expect(r.err).toContain('数据库文件不存在');
    expect(r.err).not.toMatch(/no such table|SqliteError|at .*\.ts:/);
  }
  expect(existsSync(file)).toBe(false);
});

it('audit verify on a database that was never started says so instead of "no such table"', async () => {
  const file = path.join(dir, 'empty.db');
  await openDatabase(file).close();
  const r = await cli(['audit', 'verify', '--db', file]);
  expect(r.code).toBe(1);
  expect(r.err).toContain('数据库尚未初始化');
  expect(r.err).not.toContain('no such table');
});
