/**
 * `luoshi parse FILE`: run the plan parser on a .txt/.docx and print the extraction as JSON, as a
 * markdown task breakdown, or write the 任务分解表 workbook.
 *
 * With --format json, stdout carries the PlanExtract and nothing else: scorers and scripts redirect
 * it to a file. Everything meant for a person goes to stderr.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { OrgRegistryFile } from '../../shared/schemas/organisation.schema.ts';
import { parsePlan, resolveUnits } from '../../plan-parser/index.ts';
import { decodePlanDocument, PlanDocumentError } from '../../plan-parser/plan-document.decoder.ts';
import type { OrgRegistry, PlanExtract, UnresolvedMention } from '../../plan-parser/plan-extract.types.ts';
import { type CliCommand, type CliIo, CliUsageError, EXIT } from '../cli-command.types.ts';
import { findExplainedTask, formatTaskExplanation } from './parse.command.explain.ts';
import { describeSystemError } from '../fs-error.ts';

const FORMATS = ['json', 'md', 'xlsx'] as const;
type ParseFormat = (typeof FORMATS)[number];

const USAGE = `Usage: luoshi parse FILE [--format json|md|xlsx] [--orgs REGISTRY.json] [--out PATH]
       luoshi parse FILE --explain TASK

Extract the outline, tasks, units, deadlines and targets of an implementation plan (.txt in
UTF-8 or GB18030, or .docx).

Options:
  --format json|md|xlsx  json (default): the PlanExtract on stdout; md: a markdown task
                         breakdown; xlsx: the 任务分解表 workbook (written to --out, or to
                         FILE's base name + .xlsx in the current directory)
  --orgs REGISTRY.json   resolve unit mentions against an organisation registry (adds orgId;
                         unresolved mentions are listed on stderr)
  --out PATH             write to PATH instead of stdout
  --explain TASK         for one task clause (its number, 1-based, or a fragment of its text),
                         print why each unit, deadline and target was read as it was (逐项说明)
  -h, --help             show this help
`;

/** A failure already worded for the operator; printed as one line, exit 1. */
class ParseCommandError extends Error {}

export const parseCommand: CliCommand = {
  usage: USAGE,
  async run(args, io) {
    const options = readOptions(args);
    try {
      await runParse(options, io);
      return EXIT.ok;
    } catch (error) {
      if (!(error instanceof ParseCommandError)) throw error;
      io.stderr.write(`luoshi: ${error.message}\n`);
      return EXIT.failure;
    }
  },
};

interface ParseOptions {
  file: string;
  format: ParseFormat;
  orgs?: string;
  out?: string;
  explain?: string;
}

function readOptions(args: string[]): ParseOptions {
  let parsed: ReturnType<typeof parseCliArgs>;
  try {
    parsed = parseCliArgs(args);
  } catch (error) {
    // parseArgs words its errors for developers ("Unknown option '--x'. To specify a positional …").
    throw new CliUsageError((error as Error).message.split('. ')[0]);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    throw new CliUsageError(positionals.length === 0 ? 'missing FILE' : `expected one FILE, got ${positionals.length}`);
  }
  if (values.explain !== undefined && values.format !== undefined) {
    throw new CliUsageError('--explain prints an explanation; it takes no --format');
  }
  if (values.explain !== undefined && values.explain.trim() === '')
    throw new CliUsageError('--explain needs a task number or a text fragment');
  const format = values.format ?? 'json';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new CliUsageError(`unknown format '${format}' (expected ${FORMATS.join(', ')})`);
  }
  return { file: positionals[0], format: format as ParseFormat, orgs: values.orgs, out: values.out, explain: values.explain };
}

function parseCliArgs(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string', short: 'f' },
      orgs: { type: 'string' },
      out: { type: 'string', short: 'o' },
      explain: { type: 'string' },
    },
  });
}

async function runParse(options: ParseOptions, io: CliIo): Promise<void> {
  const bytes = await readInput(resolve(io.cwd, options.file), `无法读取方案文件 '${options.file}'`, 'cannot read plan file');
  let text: string;
  try {
    ({ text } = await decodePlanDocument(bytes, basename(options.file)));
  } catch (error) {
    if (error instanceof PlanDocumentError) {
      throw new ParseCommandError(`无法读取方案文件 '${options.file}'：${error.message} (cannot read plan file)`);
    }
    throw error;
  }

  let extract: PlanExtract = parsePlan(text, { explain: options.explain !== undefined });
  if (options.orgs) {
    const registry = await readRegistry(resolve(io.cwd, options.orgs), options.orgs);
    const result = resolveUnits(extract, registry);
    extract = result.extract;
    reportUnresolved(result.unresolved, io);
  }

  if (options.explain !== undefined) {
    const found = findExplainedTask(extract, options.explain.trim());
    if (!found) {
      throw new ParseCommandError(
        `找不到任务“${options.explain}”（共 ${extract.tasks.length} 个任务）/ no task '${options.explain}' (${extract.tasks.length} tasks)`,
      );
    }
    const output = formatTaskExplanation(extract, found.index);
    if (options.out) {
      await writeOutput(resolve(io.cwd, options.out), output, options.out);
      io.stderr.write(`luoshi: wrote the explanation of task ${found.index + 1} to ${options.out}\n`);
    } else io.stdout.write(output);
    return;
  }

  if (options.format === 'xlsx') {
    // exceljs is heavy; only the xlsx format pays for loading it.
    const { buildTaskBreakdownWorkbook } = await import('../../server/documents/task-breakdown.xlsx.ts');
    const target = options.out ?? `${basename(options.file, extname(options.file))}.xlsx`;
    await writeOutput(resolve(io.cwd, target), await buildTaskBreakdownWorkbook(extract), target);
    io.stderr.write(`luoshi: wrote ${extract.tasks.length} tasks to ${target}\n`);
    return;
  }
  let output: string;
  if (options.format === 'md') {
    const { formatTaskBreakdownMarkdown } = await import('../../server/documents/task-breakdown.md.ts');
    output = formatTaskBreakdownMarkdown(extract);
  } else {
    output = `${JSON.stringify(extract, null, 2)}\n`;
  }
  if (options.out) {
    await writeOutput(resolve(io.cwd, options.out), output, options.out);
    io.stderr.write(`luoshi: wrote ${options.format} to ${options.out}\n`);
  } else {
    io.stdout.write(output);
  }
}

async function readInput(path: string, what: string, whatEn: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new ParseCommandError(describeSystemError(what, whatEn, error));
  }
}

async function writeOutput(path: string, data: string | Uint8Array, shown: string): Promise<void> {
  try {
    await writeFile(path, data);
  } catch (error) {
    throw new ParseCommandError(describeSystemError(`无法写入 '${shown}'`, `cannot write '${shown}'`, error));
  }
}

async function readRegistry(path: string, shown: string): Promise<OrgRegistry> {
  const what = `cannot read organisation registry '${shown}'`;
  const bytes = await readInput(path, `无法读取单位名录 '${shown}'`, what);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new ParseCommandError(`${what}: invalid JSON (${(error as Error).message})`);
  }
  const checked = OrgRegistryFile.safeParse(json);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const at = issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new ParseCommandError(`${what}: not an organisation registry (${issue.message}${at})`);
  }
  return checked.data;
}

function reportUnresolved(unresolved: UnresolvedMention[], io: CliIo): void {
  if (unresolved.length === 0) return;
  io.stderr.write(`luoshi: ${unresolved.length} unit mention(s) not in the registry:\n`);
  for (const mention of unresolved) {
    // Grouped by role: "lead in tasks 1, 5; cooperating in tasks 4, 8" stays one readable line.
    const byRole = new Map<string, number[]>();
    for (const { role, taskIndex } of mention.occurrences) {
      byRole.set(role, [...(byRole.get(role) ?? []), taskIndex + 1]);
    }
    const where = [...byRole].map(([role, tasks]) => `${role} in task${tasks.length > 1 ? 's' : ''} ${tasks.join(', ')}`);
    const written = mention.mention !== mention.name ? ` (written ${mention.mention})` : '';
    io.stderr.write(`  ${mention.name}${written}: ${where.join('; ')}\n`);
  }
}
