/**
 * Browser tests (test/browser/*.spec.ts) in Debian's Chromium, never a downloaded browser: run them with
 * `node scripts/test-browser.mjs` (prints `N passed, N failed`) or `npx playwright test`.
 * test/browser/global-setup.mjs starts the NOS emulator and the test backend on 127.0.0.1 (port 0) and
 * stops them afterwards; it needs `npm run build` first.
 * Flags: the set that runs Debian's Chromium headless as root (CONTRIBUTING.md#set-up; verified with Chromium 156).
 * CHROMIUM_PATH overrides the executable.
 */
import { defineConfig } from '@playwright/test'

export default defineConfig({
  testDir: 'test/browser',
  testMatch: '**/*.spec.ts',
  globalSetup: './test/browser/global-setup.mjs',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: 'list',
  outputDir: 'test-results/playwright',
  use: {
    browserName: 'chromium',
    headless: true,
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
})
