/**
 * vitest config of the runtime matrix (`node scripts/test-runtimes.mjs`, or
 * `npx vitest run --config test/runtimes/vitest.config.mts`). Separate from the main vitest run because it
 * needs `dist/` built and starts other runtimes (Bun, Deno, workerd, edge-runtime) as subprocesses/VMs.
 */
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/runtimes/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
