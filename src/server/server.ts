import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { type Config, loadConfig } from './config.ts';
import { migrateToLatest, openDatabase } from './db/database.ts';
import { seedDemoIfEmpty } from './demo/demo-seed.ts';

/**
 * Opens and migrates the database, seeds an empty one (the demo, or the first admin account),
 * and listens. Returns the app so callers (the CLI's `serve`, tests) can close it.
 */
export async function startServer(config: Config = loadConfig()): Promise<FastifyInstance> {
  const handle = openDatabase(config.databaseUrl);
  await migrateToLatest(handle.db);
  const { app } = await buildApp(config, { handle });
  app.addHook('onClose', async () => handle.close());

  // On an empty database: the demo (LUOSHI_DEMO=1) or the first admin account; otherwise nothing.
  const seeded = await seedDemoIfEmpty(handle.db, config, app.log);
  if (seeded.kind !== 'skipped') app.log.info({ seeded: seeded.kind }, 'seeded the empty database');

  await app.listen({ port: config.port, host: config.host });
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  app.log.info(`Luoshi listening on http://${shownHost}:${config.port} (${handle.dialect}); API docs at /api/docs`);
  installShutdown(app);
  return app;
}

/** SIGTERM/SIGINT: stop accepting connections, finish in-flight requests, close the database. */
function installShutdown(app: FastifyInstance): void {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    // A hung request must not keep the process alive forever.
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  startServer().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
