#!/usr/bin/env node
/**
 * The runtime matrix: the contract suite (test/contract/suite.mjs) in Node (ESM + CJS), Bun (ESM + CJS), Deno,
 * workerd via miniflare without nodejs_compat (IIFE + bundled ESM), @edge-runtime/vm (IIFE), and every
 * server-side example (examples/node, bun, deno, edge) against the emulator. Needs `npm run build` first.
 *
 *   node scripts/test-runtimes.mjs [vitest filters...]
 *
 * Runs `vitest run --config test/runtimes/vitest.config.mts`; the last line is `N passed, N failed`
 * (`, N skipped` when any) from vitest's JSON report; the exit code is non-zero when anything failed.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const tmp = mkdtempSync(join(tmpdir(), 'nos-sdk-runtimes-'))
const report = join(tmp, 'vitest.json')
const r = spawnSync(
  join(ROOT, 'node_modules/.bin/vitest'),
  ['run', '--config', 'test/runtimes/vitest.config.mts', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { cwd: ROOT, stdio: 'inherit' },
)
let json
try {
  json = JSON.parse(readFileSync(report, 'utf8'))
} catch {
  json = undefined
}
rmSync(tmp, { recursive: true, force: true })
const passed = json?.numPassedTests ?? 0
const failed = (json?.numFailedTests ?? 0) || (r.status === 0 ? 0 : 1)
const skipped = (json?.numPendingTests ?? 0) + (json?.numTodoTests ?? 0)
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exitCode = r.status === 0 && failed === 0 ? 0 : 1
