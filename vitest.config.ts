import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/emulator/**/*.test.ts', 'test/packaging/**/*.test.ts', 'test/cli/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
