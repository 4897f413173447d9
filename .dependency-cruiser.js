/**
 * The import directions of docs/architecture.md ("Import rules"), checked by
 * `npm test` (test/unit/architecture.test.ts runs this configuration).
 * Tests and benchmarks sit outside the layers: they may import anything.
 */
const APP = '^(src|bots|jobs|entities)/';

module.exports = {
  forbidden: [
    {
      name: 'lib-is-a-leaf',
      comment: 'src/lib holds utilities; it imports nothing else of the app.',
      severity: 'error',
      from: { path: '^src/lib/' },
      to: { path: APP, pathNot: '^src/lib/' },
    },
    {
      name: 'wecom-is-low-level',
      comment: 'The WeCom layer knows no services, bot or job types; it may use src/lib.',
      severity: 'error',
      from: { path: '^src/wecom/' },
      to: { path: APP, pathNot: '^src/(wecom|lib)/' },
    },
    {
      name: 'entities-know-no-services',
      comment: 'Entities and migrations are the schema; they may use src/lib only.',
      severity: 'error',
      from: { path: '^entities/' },
      to: { path: APP, pathNot: '^(entities|src/lib)/' },
    },
    {
      name: 'services-below-routes',
      comment: 'Services use src/lib, src/wecom, entities and each other.',
      severity: 'error',
      from: { path: '^src/(services|auth)/' },
      to: { path: APP, pathNot: '^(src/(services|auth|lib|wecom)/|entities/|src/config\\.ts$)' },
    },
    {
      name: 'services-read-config-types-only',
      comment: 'A service gets its settings passed in; it may name the Config types, never load them.',
      severity: 'error',
      from: { path: '^src/(services|auth)/' },
      to: { path: '^src/config\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'routes-above-services',
      comment: 'Routes call services; they never reach into the chat or the jobs.',
      severity: 'error',
      from: { path: '^src/routes/' },
      to: { path: '^(bots|jobs)/' },
    },
    {
      name: 'only-entry-points-import-bots-and-jobs',
      comment: 'src/main.ts and src/cli wire bots/ and jobs/ in; nothing else in src/ knows them.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(main\\.ts$|cli/)' },
      to: { path: '^(bots|jobs)/' },
    },
    {
      name: 'bots-and-jobs-apart',
      comment: 'The chat and the jobs share code only through src/.',
      severity: 'error',
      from: { path: '^bots/' },
      to: { path: '^jobs/' },
    },
    {
      name: 'jobs-and-bots-apart',
      severity: 'error',
      from: { path: '^jobs/' },
      to: { path: '^bots/' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle makes two modules one; merge them or split the shared part out.',
      severity: 'error',
      from: { path: APP },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(node_modules|dist)/' },
  },
};
