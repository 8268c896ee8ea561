#!/usr/bin/env node
/**
 * Browser tests: Playwright (playwright.config.ts, test/browser/*.spec.ts) in Debian's Chromium. Installs no
 * browser through Playwright. When /usr/bin/chromium is missing: as root, `apt-get install -y chromium`;
 * otherwise it stops with a message saying how. Needs `npm run build` first (global setup checks dist/).
 *
 *   node scripts/test-browser.mjs [playwright test args...]     e.g. node scripts/test-browser.mjs cors
 *
 * The last line is `N passed, N failed` (`, N skipped` when any), from Playwright's JSON reporter; the exit code
 * is non-zero when anything failed or Playwright itself failed.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

function ensureChromium() {
  if (existsSync(CHROMIUM)) return true
  if (process.env.CHROMIUM_PATH) {
    console.error(`CHROMIUM_PATH=${CHROMIUM} does not exist.`)
    return false
  }
  if (process.getuid?.() !== 0) {
    console.error(`${CHROMIUM} is missing. Install Debian's Chromium (as root): apt-get update && apt-get install -y chromium`)
    console.error('or point CHROMIUM_PATH at a Chromium/Chrome executable. (Playwright\'s own browser download is not used.)')
    return false
  }
  console.log(`${CHROMIUM} is missing: installing Debian's chromium (apt-get)`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env })
    if (r.status !== 0) {
      console.error(`apt-get ${args.join(' ')} failed (exit ${r.status ?? r.signal})`)
      return false
    }
  }
  return existsSync(CHROMIUM)
}

function main() {
  if (!ensureChromium()) {
    console.log('0 passed, 1 failed')
    return 1
  }
  const version = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).stdout?.trim().split('\n').pop()
  if (version) console.log(version)

  const tmp = mkdtempSync(join(tmpdir(), 'nos-sdk-playwright-'))
  const report = join(tmp, 'report.json')
  const r = spawnSync(join(ROOT, 'node_modules/.bin/playwright'), ['test', '--reporter=list,json', ...process.argv.slice(2)], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: report },
  })
  let stats
  try {
    stats = JSON.parse(readFileSync(report, 'utf8')).stats
  } catch {
    stats = undefined
  }
  rmSync(tmp, { recursive: true, force: true })
  const passed = (stats?.expected ?? 0) + (stats?.flaky ?? 0)
  // Playwright failing before or outside the tests (config, global setup) counts as one failure.
  const failed = (stats?.unexpected ?? 0) || (r.status === 0 ? 0 : 1)
  const skipped = stats?.skipped ?? 0
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
  return r.status === 0 && failed === 0 ? 0 : 1
}

process.exitCode = main()
