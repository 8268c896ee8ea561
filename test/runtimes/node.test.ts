/**
 * The contract suite in Node (the vitest process), through both npm builds loaded natively:
 *   - ESM: `import('dist/index.js')` through Node's own loader (not vite's);
 *   - CJS: `require('dist/index.cjs')` through `createRequire`.
 * The emulator runs in this process. Also proves the suite can fail (a suite that never fails proves nothing).
 */
import { createRequire } from 'node:module'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { CONTRACT_CHECKS, runContract } from '../contract/suite.mjs'

const ROOT = resolve(import.meta.dirname, '../..')
const require = createRequire(import.meta.url)
const nativeImport = require('../helpers/native-import.cjs') as (url: string) => Promise<unknown>
const AK = 'contractAccessKey'
const SK = 'contractSecretKey0123456789'
const BUCKET = 'contract'

function dist(name: string): string {
  const file = join(ROOT, 'dist', name)
  if (!existsSync(file)) throw new Error(`dist/${name} is missing: run \`npm run build\` first (npm test does)`)
  return file
}

let emu: Emulator
beforeAll(async () => {
  emu = await startEmulator({ port: 0, credentials: [{ accessKeyId: AK, accessKeySecret: SK }], buckets: [BUCKET] })
})
afterAll(() => emu?.close())

const run = (NOS: unknown, prefix: string, clientOptions?: Record<string, unknown>) =>
  runContract({ NOS, endpoint: emu.endpoint, accessKeyId: AK, accessKeySecret: SK, bucket: BUCKET, prefix, clientOptions })

function expectAllPassed(r: Awaited<ReturnType<typeof runContract>>) {
  expect(r.failures, r.failures.map((f) => `${f.name}: ${f.error}`).join('\n')).toEqual([])
  expect(r.names).toEqual([...CONTRACT_CHECKS])
  expect(r.failed).toBe(0)
  expect(r.passed).toBe(CONTRACT_CHECKS.length)
}

describe(`contract in Node ${process.version}`, () => {
  it('ESM build: import("dist/index.js")', async () => {
    const NOS = await nativeImport(pathToFileURL(dist('index.js')).href)
    expectAllPassed(await run(NOS, 'node-esm/'))
  })

  it('CJS build: require("dist/index.cjs")', async () => {
    const NOS = require(dist('index.cjs'))
    expectAllPassed(await run(NOS, 'node-cjs/'))
  })

  it('the suite reports failures (an SDK whose requests fail does not pass)', async () => {
    const NOS = require(dist('index.cjs'))
    const offline = () => Promise.reject(new TypeError('fetch failed: offline'))
    const r = await run(NOS, 'node-offline/', { fetch: offline, maxRetries: 0 })
    expect(r.names).toEqual([...CONTRACT_CHECKS])
    // Only the export check and nothing else can pass without a network.
    expect(r.passed).toBe(1)
    expect(r.failed).toBe(CONTRACT_CHECKS.length - 1)
    expect(r.failures[0]!.error).toMatch(/ConnectionError|offline/)
  })
})
