import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The AWS SDK's Node.js support warning shows once per run, not once per worker (see the file).
    globalSetup: ['test/helpers/node-support.ts'],
  },
});
