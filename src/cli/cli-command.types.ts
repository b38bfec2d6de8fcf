/**
 * The contract every `luoshi` command implements. A command gets its own arguments (everything after
 * its name) and the streams to write to, and returns the process exit code; it never calls
 * process.exit, so buffered stdout (a large JSON extraction piped to a file) is always flushed.
 */
export interface CliIo {
  /** Results only: scripts redirect stdout to a file and read it as JSON, markdown, … */
  stdout: NodeJS.WritableStream;
  /** Messages for the operator: progress, warnings, errors. */
  stderr: NodeJS.WritableStream;
  /** Directory relative paths are resolved against. */
  cwd: string;
}

export interface CliCommand {
  /** Full usage text for `luoshi <command> --help` and usage errors. */
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/**
 * A registry entry. The command module is loaded only when it runs, so `luoshi parse` does not pay
 * for the server, the database driver or anything else another command imports.
 */
export interface CliCommandEntry {
  /** One line for `luoshi --help`. */
  summary: string;
  load(): Promise<CliCommand>;
}

/** Exit codes shared by all commands. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** A bad command line: the runner prints the message and the command's usage, and exits 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}
