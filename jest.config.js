/**
 * Two projects:
 *  - unit: test/unit, no PostgreSQL or Redis (and no global setup);
 *  - integration: test/integration, the real PostgreSQL and Redis; the global
 *    setup migrates one template database that each test file clones.
 * `npm test` runs both; `npm run test:unit` / `npm run test:integration` one each.
 */
const shared = {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  setupFiles: ['reflect-metadata'],
};

module.exports = {
  // A run-wide option: jest reads it here, not from the projects.
  testTimeout: 30000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      rootDir: __dirname,
      roots: ['<rootDir>/test/unit'],
    },
    {
      ...shared,
      displayName: 'integration',
      rootDir: __dirname,
      roots: ['<rootDir>/test/integration'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
