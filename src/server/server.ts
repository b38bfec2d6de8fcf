import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { type Config, loadConfig } from './config.ts';
import { type Db, migrateToLatest, openDatabase } from './db/database.ts';
import { demoToday, seedDemoIfEmpty } from './demo/demo-seed.ts';
import { scheduleJob } from './jobs/job-scheduler.ts';
import { reportingCalendarJob } from './jobs/reporting-calendar.job.ts';
import { loadAuditKeyring, setWriterKeyring } from './core/audit-key.ts';
import { anchorLegacyChain } from './modules/audit/audit.service.ts';
import { chinaDate } from '../shared/china-date.ts';

const HOUR_MS = 3_600_000;

/**
 * Opens and migrates the database, seeds an empty one (the demo, or the first admin account),
 * and listens. Returns the app so callers (the CLI's `serve`, tests) can close it.
 */
export async function startServer(loaded: Config = loadConfig()): Promise<FastifyInstance> {
  // The audit key first: a bad or unreadable key stops the server before it writes anything.
  const keyring = loadAuditKeyring(loaded, { create: true });
  setWriterKeyring(keyring);
  const handle = openDatabase(loaded.databaseUrl);
  await migrateToLatest(handle.db);
  // A demo database runs on the demo's own date (2018) unless LUOSHI_TODAY says otherwise.
  const config: Config = { ...loaded, today: await demoToday(handle.db, loaded) };
  // A log written before keyed hashing gets its switch event now, so it is protected from here on.
  const anchored = await anchorLegacyChain(handle.db);
  const { app } = await buildApp(config, { handle });
  let stopJobs = async () => {};
  // Jobs stop (waiting for a pass in flight) before the database they write to closes.
  app.addHook('onClose', async () => {
    await stopJobs();
    await handle.close();
  });

  // On an empty database: the demo (LUOSHI_DEMO=1) or the first admin account; otherwise nothing.
  const seeded = await seedDemoIfEmpty(handle.db, config, app.log);
  if (seeded.kind !== 'skipped') app.log.info({ seeded: seeded.kind }, 'seeded the empty database');
  if (anchored !== null) app.log.warn({ seq: anchored, kid: keyring.active?.kid }, 'audit chain switched to keyed hashing');
  app.log.info({ kid: keyring.active?.kid, source: keyring.source }, 'audit key loaded: back it up apart from the database');

  if (config.jobs) stopJobs = startJobs(app, handle.db, config);

  await app.listen({ port: config.port, host: config.host });
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  app.log.info(`Luoshi listening on http://${shownHost}:${config.port} (${handle.dialect}); API docs at /api/docs`);
  installShutdown(app);
  return app;
}

/**
 * The scheduled work, in process, hourly and once at start-up (so a server started mid-month
 * opens the month's period at once). With several instances on one database each tick runs once.
 */
function startJobs(app: FastifyInstance, db: Db, config: Config): () => Promise<void> {
  const today = () => config.today ?? chinaDate(new Date());
  return scheduleJob(reportingCalendarJob(db, today, HOUR_MS), app.log);
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
