/**
 * `luoshi serve`: run the HTTP server (migrates the database first; seeds the demo on an empty
 * database when LUOSHI_DEMO=1). Settings come from the environment (src/server/config.ts);
 * --port/--host override PORT/HOST.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../server/config.ts';
import { startServer } from '../../server/server.ts';
import { type CliCommand, CliUsageError, EXIT } from '../cli-command.types.ts';

const USAGE = `Usage: luoshi serve [--port N] [--host ADDRESS]

Start the Luoshi web server and API. Configuration is read from environment variables
(DATABASE_URL, PORT, HOST, LUOSHI_DEMO, LUOSHI_ADMIN_PASSWORD, COOKIE_SECURE, …; see README).
Stops cleanly on SIGTERM / Ctrl-C.

Options:
  --port N          listen on port N (overrides PORT; default 3000)
  --host ADDRESS    bind ADDRESS (overrides HOST; default 127.0.0.1, use 0.0.0.0 for all)
  -h, --help        show this help
`;

export const serveCommand: CliCommand = {
  usage: USAGE,
  async run(args, io) {
    let values: { port?: string; host?: string };
    try {
      ({ values } = parseArgs({ args, options: { port: { type: 'string' }, host: { type: 'string' } } }));
    } catch (err) {
      throw new CliUsageError(err instanceof Error ? err.message : String(err));
    }
    let config: ReturnType<typeof loadConfig>;
    try {
      config = loadConfig({ ...process.env, ...(values.port ? { PORT: values.port } : {}), ...(values.host ? { HOST: values.host } : {}) });
    } catch (err) {
      io.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      return EXIT.usage;
    }
    const app = await startServer(config);
    // Resolve when the server stops, so the runner's exit code is the last thing that happens.
    await new Promise<void>((resolve) => app.server.once('close', () => resolve()));
    return EXIT.ok;
  },
};
