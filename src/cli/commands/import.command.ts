/**
 * `luoshi import FILE [--orgs REGISTRY.json]`: load a plan into the configured database. The
 * registry (if given) is imported first; the plan is confirmed when every unit mention resolves,
 * otherwise the draft is kept, the unresolved units are listed and the exit code is 1 (map them in
 * the web app, or add them to the registry and run again).
 */
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { OrgRegistryFile } from '../../shared/schemas/organisation.schema.ts';
import { decodePlanDocument, PlanDocumentError } from '../../plan-parser/plan-document.decoder.ts';
import { loadConfig } from '../../server/config.ts';
import { migrateToLatest, openDatabase } from '../../server/db/database.ts';
import { AppError } from '../../server/core/app-error.ts';
import { importRegistry } from '../../server/modules/organisations/organisations.service.ts';
import { importPlanText } from '../../server/modules/plan-imports/plan-imports.service.ts';
import { type CliCommand, CliUsageError, EXIT } from '../cli-command.types.ts';
import { describeSystemError } from '../fs-error.ts';

const USAGE = `Usage: luoshi import FILE [--orgs REGISTRY.json] [--db URL]

Import an implementation plan (.txt in UTF-8 or GB18030, or .docx) into the database as a
confirmed plan with its sections, tasks, assignments, deadlines and targets.

Options:
  --orgs REGISTRY.json  import this organisation registry first (matched by name, so running
                        it again changes nothing); e.g. samples/hebi-orgs.json
  --db URL              database (default: DATABASE_URL, or ./data/luoshi.db)
  -h, --help            show this help

Exit codes: 0 imported; 1 unresolved units (the draft is kept) or an unreadable file; 2 usage.
`;

export const importCommand: CliCommand = {
  usage: USAGE,
  async run(args, io) {
    let values: { orgs?: string; db?: string };
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({
        args,
        options: { orgs: { type: 'string' }, db: { type: 'string' } },
        allowPositionals: true,
      }));
    } catch (err) {
      throw new CliUsageError(err instanceof Error ? err.message.split('. ')[0] : String(err));
    }
    if (positionals.length !== 1) throw new CliUsageError(positionals.length === 0 ? 'missing FILE' : 'expected one FILE');
    const file = resolve(io.cwd, positionals[0]);

    let text: string;
    let registry: OrgRegistryFile | undefined;
    try {
      ({ text } = await decodePlanDocument(new Uint8Array(await readNamed(file, positionals[0])), basename(file)));
      if (values.orgs) {
        const raw = JSON.parse(await readNamed(resolve(io.cwd, values.orgs), values.orgs, 'utf8')) as unknown;
        const parsed = OrgRegistryFile.safeParse(raw);
        if (!parsed.success) {
          const first = parsed.error.issues[0];
          io.stderr.write(`luoshi: ${values.orgs} is not a registry file: ${first.path.join('.')}: ${first.message}\n`);
          return EXIT.failure;
        }
        registry = parsed.data;
      }
    } catch (err) {
      if (err instanceof PlanDocumentError || err instanceof SyntaxError || err instanceof CliFileError) {
        io.stderr.write(`luoshi: ${(err as Error).message}\n`);
        return EXIT.failure;
      }
      throw err;
    }

    const handle = openDatabase(values.db ?? loadConfig().databaseUrl);
    try {
      await migrateToLatest(handle.db);
      if (registry) {
        const r = await importRegistry(handle.db, null, registry);
        io.stderr.write(`registry: ${r.created} organisations created, ${r.updated} updated\n`);
      }
      const { draft, confirmed } = await importPlanText(handle.db, null, { text, filename: basename(file) });
      if (!confirmed) {
        io.stderr.write(`luoshi: ${draft.unresolved.length} unit(s) not in the registry; the import is kept as draft ${draft.id}:\n`);
        for (const u of draft.unresolved) {
          const where = [...new Set(u.occurrences.map((o) => o.taskIndex + 1))].join(', ');
          io.stderr.write(`  ${u.name}${u.mention !== u.name ? ` (written "${u.mention}")` : ''} — task ${where}\n`);
        }
        return EXIT.failure;
      }
      io.stdout.write(`${JSON.stringify({ planId: confirmed.planId, taskCount: confirmed.taskCount, title: draft.title })}\n`);
      io.stderr.write(`imported "${draft.title ?? basename(file)}": ${confirmed.taskCount} tasks\n`);
      return EXIT.ok;
    } catch (err) {
      if (err instanceof AppError && err.status < 500) {
        io.stderr.write(`luoshi: ${err.message}\n`);
        return EXIT.failure;
      }
      throw err;
    } finally {
      await handle.close();
    }
  },
};

/** A file the operator named could not be read; the message names it (Chinese first). */
class CliFileError extends Error {
  override readonly name = 'CliFileError';
}

function readNamed(path: string, shown: string): Promise<Buffer>;
function readNamed(path: string, shown: string, encoding: 'utf8'): Promise<string>;
async function readNamed(path: string, shown: string, encoding?: 'utf8'): Promise<Buffer | string> {
  try {
    return encoding ? await readFile(path, encoding) : await readFile(path);
  } catch (error) {
    throw new CliFileError(describeSystemError(`无法读取 '${shown}'`, `cannot read '${shown}'`, error));
  }
}
