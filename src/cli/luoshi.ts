/**
 * `luoshi`: the operator's command line (`npm run luoshi -- <command>`). This file only dispatches;
 * each command lives in ./commands and is registered in ./commands/index.ts.
 */
import { pathToFileURL } from 'node:url';
import { type CliCommandEntry, type CliIo, CliUsageError, EXIT } from './cli-command.types.ts';
import { commands } from './commands/index.ts';

/**
 * Runs one command line (without the node and script arguments) and returns the exit code:
 * 0 success, 1 failure, 2 usage error.
 */
export async function runLuoshi(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() },
  registry: Record<string, CliCommandEntry> = commands,
): Promise<number> {
  const [first] = argv;
  if (first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(formatHelp(registry));
    return EXIT.ok;
  }
  const name = matchCommand(argv, registry);
  if (!name) {
    io.stderr.write(first === undefined ? formatHelp(registry) : `luoshi: unknown command '${first}'\n\n${formatHelp(registry)}`);
    return EXIT.usage;
  }
  const args = argv.slice(name.split(' ').length);
  const command = await registry[name].load();
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(command.usage);
    return EXIT.ok;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr.write(`luoshi ${name}: ${error.message}\n\n${command.usage}`);
      return EXIT.usage;
    }
    // Commands report expected failures themselves; this is the last line of defence, still one line.
    io.stderr.write(`luoshi ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failure;
  }
}

function matchCommand(argv: string[], registry: Record<string, CliCommandEntry>): string | undefined {
  const two = argv.slice(0, 2).join(' ');
  if (argv.length >= 2 && Object.hasOwn(registry, two)) return two;
  return argv.length >= 1 && Object.hasOwn(registry, argv[0]) ? argv[0] : undefined;
}

function formatHelp(registry: Record<string, CliCommandEntry>): string {
  const names = Object.keys(registry).sort();
  const pad = Math.max(...names.map((n) => n.length), 0) + 2;
  const lines = names.map((n) => `  ${n.padEnd(pad)}${registry[n].summary}`);
  return [
    'Usage: luoshi <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    "Run 'luoshi <command> --help' for a command's options.",
    '',
  ].join('\n');
}

// Run only when executed, not when a test imports runLuoshi.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // `luoshi parse plan.txt | head` closes the pipe early; that is the reader's choice, not a crash.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
  process.exitCode = await runLuoshi(process.argv.slice(2));
}
