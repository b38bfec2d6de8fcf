/**
 * Commands that only read an existing installation (audit verify, audit checkpoint) must not
 * create an empty SQLite file where the operator mistyped a path, nor answer "no such table"
 * when the database was never started: they say what is missing, in the operator's language.
 */
import { existsSync } from 'node:fs';
import type { Db } from '../server/db/database.ts';

/** The Chinese-first problem with `url` before opening it, or null when there is a file (or a server) to open. */
export function missingDatabaseFile(url: string): string | null {
  if (/^postgres(ql)?:\/\//.test(url)) return null;
  if (url === ':memory:' || existsSync(url)) return null;
  return `数据库文件不存在：${url}（先运行一次 npm start 或 luoshi serve 创建数据库） (no database file at ${url}: start Luoshi once to create it)`;
}

/** The Chinese-first problem when the database has no Luoshi tables yet, or null when it has. */
export async function missingSchema(db: Db, url: string): Promise<string | null> {
  const tables = await db.introspection.getTables();
  if (tables.some((t) => t.name === 'audit_events')) return null;
  return `数据库尚未初始化，没有审计记录：${url}（先运行一次 npm start 或 luoshi serve） (the database has no Luoshi tables yet: start Luoshi once first)`;
}
