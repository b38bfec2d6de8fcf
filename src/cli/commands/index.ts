/**
 * The `luoshi` command registry. To add a command, write `src/cli/commands/<name>.command.ts`
 * exporting a CliCommand and add one entry here, loaded lazily. A name may be two words
 * ("audit verify"): the runner matches the longest name the command line starts with.
 */
import type { CliCommandEntry } from '../cli-command.types.ts';

export const commands: Record<string, CliCommandEntry> = {
  parse: {
    summary: 'extract sections, tasks, units, deadlines and targets from a plan (.txt/.docx)',
    load: async () => (await import('./parse.command.ts')).parseCommand,
  },
  'periods tick': {
    summary: 'close expired reporting periods (freezing snapshots) and open due ones; for cron',
    load: async () => (await import('./periods-tick.command.ts')).periodsTickCommand,
  },
  'reminders tick': {
    summary: 'send due-soon and late reporting reminders (once per user, period and kind); for cron',
    load: async () => (await import('./reminders-tick.command.ts')).remindersTickCommand,
  },
  'audit verify': {
    summary: 'check the audit log hash chain (and kept checkpoints); list every broken place, exit 1 on any',
    load: async () => (await import('./audit-verify.command.ts')).auditVerifyCommand,
  },
  'audit checkpoint': {
    summary: 'write a signed checkpoint of the audit chain heads to a file the operator keeps',
    load: async () => (await import('./audit-checkpoint.command.ts')).auditCheckpointCommand,
  },
  'audit rotate-key': {
    summary: 'add a new audit HMAC key to the key file and make it active (old keys stay valid)',
    load: async () => (await import('./audit-rotate-key.command.ts')).auditRotateKeyCommand,
  },
  'db copy': {
    summary: 'copy the install into an empty database (SQLite → PostgreSQL) and check rows, files and the audit chain',
    load: async () => (await import('./db-copy.command.ts')).dbCopyCommand,
  },
  backup: {
    summary: 'back up the database (SQLite online backup, or a portable dump) and verify the backup',
    load: async () => (await import('./backup.command.ts')).backupCommand,
  },
  restore: {
    summary: 'restore a backup into a new, empty database and check its rows and audit chain',
    load: async () => (await import('./restore.command.ts')).restoreCommand,
  },
  serve: {
    summary: 'run the web server and API (settings from the environment)',
    load: async () => (await import('./serve.command.ts')).serveCommand,
  },
  import: {
    summary: 'import a plan (.txt/.docx) into the database, with an organisation registry (--orgs)',
    load: async () => (await import('./import.command.ts')).importCommand,
  },
  demo: {
    summary: 'load the Hebi 2018 demo plan, organisations and demo accounts into an empty database',
    load: async () => (await import('./demo.command.ts')).demoCommand,
  },
};
