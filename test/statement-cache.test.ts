import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, withStatementCache } from '../src/server/db/database.ts';

// SQLite statements are prepared once per SQL text (database.ts): the same text gives the same
// statement, a busy one is not handed out twice, long texts are not kept, and a kept statement
// follows a schema change.
describe('SQLite statement cache', () => {
  const dirs: string[] = [];
  const file = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-stmt-'));
    dirs.push(dir);
    return path.join(dir, 'db.sqlite');
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('reuses a statement per text, not while it is iterating, and not for long texts', () => {
    const raw = new SQLite(file());
    const db = withStatementCache(raw);
    raw.exec('create table t (id integer primary key, name text)');
    raw.exec("insert into t (name) values ('a'), ('b')");
    const text = 'select * from t order by id';
    const first = db.prepare(text);
    expect(db.prepare(text)).toBe(first);
    const it = first.iterate([]);
    it.next();
    const during = db.prepare(text);
    expect(during).not.toBe(first);
    expect(during.all([])).toEqual([
      { id: 1, name: 'a' },
      { id: 2, name: 'b' },
    ]);
    it.return?.();
    const long = `select * from t where ${Array.from({ length: 500 }, (_, i) => `id <> ${i + 100}`).join(' and ')}`;
    expect(long.length).toBeGreaterThan(4000);
    expect(db.prepare(long)).not.toBe(db.prepare(long));
    db.close();
  });

  it('answers from a kept statement after the table changed shape', async () => {
    const handle = openDatabase(file());
    await sql`create table t (id integer primary key, name text)`.execute(handle.db);
    await sql`insert into t (name) values ('a')`.execute(handle.db);
    const read = () => sql<Record<string, unknown>>`select * from t`.execute(handle.db).then((r) => r.rows);
    expect(await read()).toEqual([{ id: 1, name: 'a' }]);
    await sql`alter table t add column note text default 'n'`.execute(handle.db);
    expect(await read()).toEqual([{ id: 1, name: 'a', note: 'n' }]);
    await handle.close();
  });
});
