/**
 * The contract suite under Deno, through the ESM build (`dist/index.js`; Deno resolves its bare imports
 * from the project's node_modules because a package.json is present).
 *
 *   DENO_NO_UPDATE_CHECK=1 node_modules/.bin/deno run --allow-net=127.0.0.1:PORT --allow-read=. \
 *     test/runtimes/deno-run.mjs ENDPOINT [ACCESS_KEY_ID ACCESS_KEY_SECRET BUCKET]
 *
 * Only loopback on the emulator's port and reading the project are allowed: no env, no write, no run.
 * Prints one line per check and, last, `CONTRACT_RESULT {json}`; exits 1 when a check failed.
 */
import * as NOS from '../../dist/index.js'
import { runContract } from '../contract/suite.mjs'

const [endpoint, accessKeyId = 'AK', accessKeySecret = 'SK', bucket = 'contract'] = Deno.args
if (!endpoint) {
  console.error('usage: deno run --allow-net=127.0.0.1:PORT --allow-read=. test/runtimes/deno-run.mjs ENDPOINT [AK SK BUCKET]')
  Deno.exit(2)
}
const esm = await runContract({ NOS, endpoint, accessKeyId, accessKeySecret, bucket, prefix: `deno-esm-${Date.now()}/`, log: (l) => console.log(`[deno esm] ${l}`) })
console.log(`CONTRACT_RESULT ${JSON.stringify({ runtime: 'deno', version: Deno.version.deno, results: { esm } })}`)
if (esm.failed > 0) Deno.exit(1)
