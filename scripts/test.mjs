#!/usr/bin/env node
/**
 * `npm test`: every check of the project, in order, stopping at the first stage that fails.
 *
 *   node scripts/test.mjs                 all stages
 *   node scripts/test.mjs vitest attw     only the named stages (the build is not implied)
 *
 * A stage is `{ name, run }`; `run()` resolves to `{ ok, passed?, failed?, skipped? }`, and the runners below
 * (`command`, `vitest`, `sizeLimit`, `playwright`, `withChromium`) build it, so adding a stage is one line in STAGES.
 *
 * The very last line is `N passed, N failed` (`, N skipped` when any) alone on a line: CI reads it. Counts
 * come from the stages that count tests (vitest, Playwright, node:test, each size budget); a stage that fails
 * without counting a failure (tsc, the build, publint, attw) counts as one failure, so a red run never ends
 * on `0 failed`. The exit code is non-zero when anything failed.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const TMP = mkdtempSync(join(tmpdir(), 'nos-sdk-test-'))
const bin = (name) => join(ROOT, 'node_modules', '.bin', name)

// ---------------------------------------------------------------------------------------------- stages
const STAGES = [
  { name: 'typecheck', run: command(bin('tsc'), '-p', '.', '--noEmit') },
  // The core without Node's types (tsconfig.core.json): a Buffer, process or node: import there is a type error.
  { name: 'core-purity', run: command(bin('tsc'), '-p', 'tsconfig.core.json') },
  { name: 'build', run: command('npm', 'run', '--silent', 'build') },
  // The public API against the committed reports in api/ (scripts/api-report.mjs; `npm run api` updates them).
  { name: 'api', run: command('node', 'scripts/api-report.mjs') },
  { name: 'vitest', run: vitest('test/unit', 'test/emulator', 'test/integration', 'test/cli', 'test/packaging') },
  { name: 'publint', run: command(bin('publint'), '--strict') },
  { name: 'attw', run: command(bin('attw'), '--pack', '.', '--profile', 'node16') },
  { name: 'size-limit', run: sizeLimit() },
  { name: 'runtimes', run: vitest('--config', 'test/runtimes/vitest.config.mts') },
  { name: 'browser', run: withChromium(playwright()) },
]

// --------------------------------------------------------------------------------------------- runners
/** Runs a program with inherited output; resolves to its exit status (a signal counts as a failure). */
function exec(cmd, args, { env, capture = false } = {}) {
  return new Promise((done) => {
    const child = spawn(cmd, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    })
    let stdout = ''
    child.stdout?.setEncoding('utf8').on('data', (chunk) => (stdout += chunk))
    child.on('error', (error) => {
      console.error(`cannot run ${cmd}: ${error.message}`)
      done({ code: 127, stdout })
    })
    child.on('close', (code, signal) => {
      if (signal) console.error(`${cmd} was killed by ${signal}`)
      done({ code: code ?? 1, stdout })
    })
  })
}

/** A check that counts no tests: ok or not by exit code. */
function command(cmd, ...args) {
  return async () => ({ ok: (await exec(cmd, args)).code === 0 })
}

/** Reads a JSON report that a runner wrote; undefined when it wrote none (it crashed before the end). */
function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return undefined
  }
}

/** vitest run with the default reporter on screen and a JSON report for the counts. */
function vitest(...filters) {
  return async () => {
    const report = join(TMP, 'vitest.json')
    const { code } = await exec(bin('vitest'), [
      'run', ...filters, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`,
    ])
    const json = readJson(report)
    return {
      ok: code === 0,
      passed: json?.numPassedTests ?? 0,
      failed: json?.numFailedTests ?? 0,
      skipped: (json?.numPendingTests ?? 0) + (json?.numTodoTests ?? 0),
    }
  }
}

/** size-limit with each budget counted as a test and printed as one line. */
function sizeLimit() {
  return async () => {
    const { code, stdout } = await exec(bin('size-limit'), ['--json'], { capture: true })
    let checks
    try {
      checks = JSON.parse(stdout)
    } catch {
      process.stdout.write(stdout)
      return { ok: false }
    }
    if (!Array.isArray(checks)) {
      console.error(checks?.error ?? stdout)
      return { ok: false }
    }
    const kB = (n) => `${(n / 1000).toFixed(2)} kB`
    for (const check of checks) {
      console.log(`${check.passed ? 'ok  ' : 'FAIL'} ${check.name}: ${kB(check.size)} gzip (limit ${kB(check.sizeLimit)})`)
    }
    const failed = checks.filter((c) => !c.passed).length
    return { ok: code === 0 && failed === 0, passed: checks.length - failed, failed }
  }
}

/** Playwright with the list reporter on screen and a JSON report for the counts (for a later stage). */
function playwright(...args) {
  return async () => {
    const report = join(TMP, 'playwright.json')
    const { code } = await exec(bin('playwright'), ['test', '--reporter=list,json', ...args], {
      env: { PLAYWRIGHT_JSON_OUTPUT_NAME: report },
    })
    const stats = readJson(report)?.stats
    return {
      ok: code === 0,
      passed: (stats?.expected ?? 0) + (stats?.flaky ?? 0),
      failed: stats?.unexpected ?? 0,
      skipped: stats?.skipped ?? 0,
    }
  }
}

/**
 * Debian's Chromium for Playwright (never a downloaded browser): installed with apt-get when missing and we are
 * root; otherwise the stage fails with the command to run.
 */
function withChromium(run) {
  return async () => {
    if (!existsSync('/usr/bin/chromium')) {
      if (process.getuid?.() !== 0) {
        console.error('browser tests need Debian\'s Chromium: run `sudo apt-get update && sudo apt-get install -y chromium`')
        return { ok: false, failed: 1 }
      }
      console.log('installing Debian chromium (apt-get)...')
      const env = { DEBIAN_FRONTEND: 'noninteractive' }
      if ((await exec('apt-get', ['update'], { env })).code !== 0) return { ok: false, failed: 1 }
      if ((await exec('apt-get', ['install', '-y', 'chromium'], { env })).code !== 0) return { ok: false, failed: 1 }
    }
    return run()
  }
}

// ------------------------------------------------------------------------------------------------ main
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`
const only = process.argv.slice(2)
const unknown = only.filter((name) => !STAGES.some((s) => s.name === name))
if (unknown.length) {
  console.error(`unknown stage(s): ${unknown.join(', ')}; stages: ${STAGES.map((s) => s.name).join(', ')}`)
  process.exit(2)
}

const totals = { passed: 0, failed: 0, skipped: 0 }
const summary = []
let stopped = false
const started = Date.now()

for (const stage of STAGES) {
  if (only.length && !only.includes(stage.name)) continue
  if (stopped) {
    summary.push(`  ${stage.name}: not run`)
    continue
  }
  console.log(`\n=== ${stage.name}`)
  const t0 = Date.now()
  let result
  try {
    result = await stage.run()
  } catch (error) {
    console.error(error)
    result = { ok: false }
  }
  const passed = result.passed ?? 0
  const failed = (result.failed ?? 0) || (result.ok ? 0 : 1)
  const skipped = result.skipped ?? 0
  totals.passed += passed
  totals.failed += failed
  totals.skipped += skipped
  const counts = result.passed !== undefined ? `, ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}` : ''
  const line = `${stage.name}: ${result.ok ? 'ok' : 'FAILED'} (${seconds(Date.now() - t0)}${counts})`
  console.log(`=== ${line}`)
  summary.push(`  ${line}`)
  if (!result.ok) stopped = true
}

rmSync(TMP, { recursive: true, force: true })
console.log(`\nStages (${seconds(Date.now() - started)} in all):\n${summary.join('\n')}`)
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`)
process.exitCode = totals.failed > 0 || stopped ? 1 : 0
