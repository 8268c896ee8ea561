/**
 * The contract suite under Bun, through the ESM build (`dist/index.js`) and the CJS build (`dist/index.cjs`).
 *
 *   node_modules/.bin/bun test/runtimes/bun-run.mjs ENDPOINT [ACCESS_KEY_ID ACCESS_KEY_SECRET BUCKET]
 *
 * Prints one line per check and, last, `CONTRACT_RESULT {json}` with one result per build; exits 1 when a
 * check failed. Started by test/runtimes/runtimes.test.ts against an emulator it runs.
 */
import { createRequire } from 'node:module'
import { runContract } from '../contract/suite.mjs'

const [endpoint, accessKeyId = 'AK', accessKeySecret = 'SK', bucket = 'contract'] = process.argv.slice(2)
if (!endpoint) {
  console.error('usage: bun test/runtimes/bun-run.mjs ENDPOINT [ACCESS_KEY_ID ACCESS_KEY_SECRET BUCKET]')
  process.exit(2)
}

const builds = {
  esm: await import('../../dist/index.js'),
  cjs: createRequire(import.meta.url)('../../dist/index.cjs'),
}
const results = {}
for (const [name, NOS] of Object.entries(builds)) {
  results[name] = await runContract({ NOS, endpoint, accessKeyId, accessKeySecret, bucket, prefix: `bun-${name}-${Date.now()}/`, log: (l) => console.log(`[bun ${name}] ${l}`) })
}
console.log(`CONTRACT_RESULT ${JSON.stringify({ runtime: 'bun', version: Bun.version, results })}`)
process.exitCode = Object.values(results).some((r) => r.failed > 0) ? 1 : 0
