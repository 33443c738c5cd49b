import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'server/**/*.test.ts', 'bench/**/*.test.ts', 'renderer/src/**/*.test.ts', 'eslint-rules/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    // A throw-away PostgreSQL cluster for the backend tests' PostgreSQL variants.
    globalSetup: ['server/test-pg-setup.ts'],
  },
});
