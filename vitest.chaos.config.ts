import { defineConfig } from 'vitest/config';

// `npm run chaos`: the chaos suite (test/chaos/*.chaos.ts), apart from `npm test` — one case after another, since
// each drives a CLI process, the simulator and Azurite, and the printed table follows the order of the cases.
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.chaos.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    globalSetup: ['test/setup/build.ts'],
  },
});
