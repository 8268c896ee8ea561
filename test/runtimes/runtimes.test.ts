/**
 * The contract suite in every non-Node runtime, against one emulator started here:
 *   - Bun:      `bun test/runtimes/bun-run.mjs ENDPOINT ...` (ESM and CJS builds), a subprocess;
 *   - Deno:     `deno run --allow-net=127.0.0.1:PORT --allow-read=. test/runtimes/deno-run.mjs ENDPOINT ...`;
 *   - workerd:  miniflare, no nodejs_compat, IIFE bundle and the ESM build bundled as wrangler would;
 *   - edge-runtime: `@edge-runtime/vm` evaluating the IIFE bundle, then the suite.
 * Each must run every check of CONTRACT_CHECKS with no failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { CONTRACT_CHECKS, type ContractResult } from '../contract/suite.mjs'
import { runInEdgeVm } from './edge-vm-run.mjs'
import { runInWorkerd } from './workerd-run.mjs'
import { BIN, contractResult, run, versionOf } from './spawn.js'

const AK = 'runtimeAccessKey'
const SK = 'runtimeSecretKey0123456789'
const BUCKET = 'contract'

let emu: Emulator
beforeAll(async () => {
  emu = await startEmulator({ port: 0, credentials: [{ accessKeyId: AK, accessKeySecret: SK }], buckets: [BUCKET] })
})
afterAll(() => emu?.close())

function expectAllPassed(r: Pick<ContractResult, 'passed' | 'failed' | 'names' | 'failures'>, where: string) {
  expect(r.failures, `${where}:\n${r.failures.map((f) => `  ${f.name}: ${f.error}`).join('\n')}`).toEqual([])
  expect(r.names).toEqual([...CONTRACT_CHECKS])
  expect(r.failed).toBe(0)
  expect(r.passed).toBe(CONTRACT_CHECKS.length)
}

const args = () => [emu.endpoint, AK, SK, BUCKET]

describe('contract in other runtimes', () => {
  it('Bun (ESM and CJS builds)', async () => {
    const out = await run(BIN('bun'), ['test/runtimes/bun-run.mjs', ...args()])
    const result = contractResult(out)
    console.log(`bun ${result.version}`)
    expectAllPassed(result.results.esm!, 'bun esm')
    expectAllPassed(result.results.cjs!, 'bun cjs')
    expect(out.code).toBe(0)
  })

  it('Deno (ESM build; net limited to the emulator, read limited to the project)', async () => {
    const out = await run(BIN('deno'), ['run', `--allow-net=127.0.0.1:${emu.port}`, '--allow-read=.', 'test/runtimes/deno-run.mjs', ...args()])
    const result = contractResult(out)
    console.log(`deno ${result.version}`)
    expectAllPassed(result.results.esm!, 'deno esm')
    expect(out.code).toBe(0)
  })

  it('workerd via miniflare, without nodejs_compat (IIFE bundle and bundled ESM build)', async () => {
    const results = await runInWorkerd({ endpoint: emu.endpoint, accessKeyId: AK, accessKeySecret: SK, bucket: BUCKET })
    for (const build of ['iife', 'esm'] as const) {
      expectAllPassed(results[build], `workerd ${build}`)
      // No Node compatibility inside the worker: the SDK ran on web APIs alone.
      expect(results[build].globals).toMatchObject({ process: 'undefined', Buffer: 'undefined', require: 'undefined' })
    }
    console.log(`workerd: ${results.iife.globals.navigator}, ${await versionOf(BIN('workerd'))}`)
  })

  it('@edge-runtime/vm (IIFE bundle)', async () => {
    const r = await runInEdgeVm({ endpoint: emu.endpoint, accessKeyId: AK, accessKeySecret: SK, bucket: BUCKET })
    expectAllPassed(r, 'edge-vm')
    expect(r.globals).toEqual({ process: 'undefined', Buffer: 'undefined', require: 'undefined', subtle: 'object' })
  })
})
