import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Chromium renders take seconds; one browser per test file, files in parallel.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
