import { defineConfig } from 'vitest/config';

// Unit tests live beside the code (src/**), API/integration tests under test/.
// Forks + tsx so Kysely's FileMigrationProvider can import .ts migrations.
export default defineConfig({
  test: {
    pool: 'forks',
    execArgv: ['--import', 'tsx'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['src/**/*.test.ts'], exclude: ['src/web/**'], environment: 'node' },
      },
      {
        extends: true,
        test: { name: 'web', include: ['src/web/**/*.test.{ts,tsx}'], environment: 'happy-dom' },
      },
      {
        extends: true,
        test: { name: 'integration', include: ['test/**/*.test.ts'], environment: 'node', fileParallelism: false },
      },
    ],
  },
});
