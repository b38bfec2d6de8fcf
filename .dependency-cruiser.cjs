/**
 * The house's import boundaries, enforced by dependency-cruiser (`npm run lint:boundaries`, part of
 * `npm test` and so of CI). Each rule says which docs/ARCHITECTURE.md rule it guards.
 * Known server violations that phase 2 of issue 10 removes are listed in
 * `.dependency-cruiser-known-violations.json` and tolerated with `--ignore-known`; anything new fails.
 * Why these rules and how the baseline shrinks: docs/decisions/0003-module-boundaries.md.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-file-cycles',
      severity: 'error',
      comment: 'Files import each other in a cycle; break it by moving the shared piece down.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-module-cycles',
      severity: 'error',
      comment:
        'Server modules (src/server/modules/<m>, and src/server/http as one node) import each other in a cycle. ' +
        'Modules are flat folders, so a folder cycle is a module cycle.',
      scope: 'folder',
      from: { path: '^src/server/(modules/[^/]+|http)$' },
      to: { circular: true },
    },
    {
      name: 'pure-libs-import-no-app',
      severity: 'error',
      comment: 'The pure libraries and src/shared are used by server, web and CLI alike: they import nothing of those.',
      from: { path: '^src/(plan-parser|status-engine|coverage|assessment|shared)/' },
      to: { path: '^src/(server|web|cli)/' },
    },
    {
      name: 'web-imports-no-server',
      severity: 'error',
      comment: 'The SPA talks to the server over HTTP only; shared contracts live in src/shared.',
      from: { path: '^src/web/' },
      to: { path: '^src/server/' },
    },
    {
      name: 'web-no-cross-feature',
      severity: 'error',
      comment:
        'A web feature imports no other feature. What several features use lives in src/web/components ' +
        'or src/web/lib; pages of several features are composed by the router in src/web/app.',
      from: { path: '^src/web/features/([^/]+)/' },
      to: { path: '^src/web/features/', pathNot: '^src/web/features/$1/' },
    },
    {
      name: 'web-testing-only-in-tests',
      severity: 'error',
      comment: "src/web/testing holds the render helper and fixtures several features' tests share; shipped code never imports it.",
      from: { path: '^src/web/', pathNot: ['\\.test\\.tsx?$', '\\.fixtures\\.ts$', '^src/web/testing/'] },
      to: { path: '^src/web/testing/' },
    },
    {
      name: 'core-imports-no-module',
      severity: 'error',
      comment:
        'src/server/core is what every module uses (AppError, writeTx, the audit log, ids, Actor, the assignment facts): ' +
        'it imports only src/shared, src/server/db, src/server/config.ts and packages, never a module or http.',
      from: { path: '^src/server/core/' },
      to: { path: '^src/', pathNot: ['^src/shared/', '^src/server/db/', '^src/server/core/', '^src/server/config\\.ts$'] },
    },
    {
      name: 'no-cross-module-repository',
      severity: 'error',
      comment: "A repository is private to its module: other modules call that module's service.",
      from: { path: '^(src/server/(modules/[^/]+|http))/' },
      to: { path: '\\.repository\\.ts$', pathNot: '^$1/' },
    },
    {
      name: 'policy-not-from-routes',
      severity: 'error',
      comment:
        'Row-level authorization (<module>.policy.ts) is called by the service, as the first statement inside its writeTx, ' +
        'never by a route before the transaction (docs/decisions/0003-module-boundaries.md 2.5). Routes use only the ' +
        'route-level policies of src/server/http/policy.ts.',
      from: { path: '\\.routes\\.ts$' },
      to: { path: '\\.policy\\.ts$' },
    },
    {
      name: 'no-foreign-table-types',
      severity: 'error',
      comment:
        "A module's table types (<m>.tables.ts) are its own: only its folder and src/server/db (which merges them into Database) import them. " +
        "Other modules get rows from the owner's service or queries, typed by what those return (ADR 0003 §2.2).",
      from: { path: '^(src/server/(modules/[^/]+|core))/', pathNot: '^src/server/db/' },
      to: { path: '^src/server/(modules/[^/]+|core)/[^/]+\\.tables\\.ts$', pathNot: '^$1/' },
    },
    {
      name: 'no-table-types-outside-server',
      severity: 'error',
      comment: "Table types are the server's: jobs, demo, CLI and app wiring reach them only through src/server/db/database.types.ts.",
      from: { path: '^src/', pathNot: ['^src/server/(modules/[^/]+|core|db)/'] },
      to: { path: '\\.tables\\.ts$' },
    },
    {
      name: 'no-repository-outside-modules',
      severity: 'error',
      comment: "Jobs, the demo seed, the CLI and app wiring reach data through a module's service, not its repository.",
      from: { path: '^src/', pathNot: '^src/server/(modules/[^/]+|http)/' },
      to: { path: '\\.repository\\.ts$' },
    },
  ],
  options: {
    includeOnly: '^src/',
    // db/database.types.ts only merges every module's <m>.tables.ts into one Kysely `Database`
    // (type-only). Every module imports Database, so its edges would make db a hub of folder
    // "cycles" that are no module dependency; left out, the table files are still checked
    // (no-foreign-table-types) and no real module cycle can hide behind it.
    exclude: { path: '^src/server/db/database\\.types\\.ts$' },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
    metrics: true,
    skipAnalysisNotInRules: true,
  },
};
