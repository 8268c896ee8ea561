/**
 * The contract suite inside workerd (Cloudflare Workers' runtime) through miniflare, WITHOUT Node
 * compatibility (no `nodejs_compat` flag: no `process`, `Buffer` or `node:*` modules exist in the worker).
 * One module worker carries the suite and two builds of the SDK: the shipped IIFE bundle (`?build=iife`) and
 * the ESM build bundled the way wrangler would (`?build=esm`). `dispatchFetch` drives it; the worker itself
 * fetches the emulator on loopback (miniflare allows it).
 *
 *   node test/runtimes/workerd-run.mjs ENDPOINT [ACCESS_KEY_ID ACCESS_KEY_SECRET BUCKET]
 *
 * or `import { runInWorkerd } from './workerd-run.mjs'` (test/runtimes/runtimes.test.ts).
 */
import { pathToFileURL } from 'node:url'
import { Miniflare } from 'miniflare'
import { ROOT, directIife, esmBundle, iife, suiteSource } from './bundles.mjs'

export const COMPATIBILITY_DATE = '2025-09-01'

const WORKER = `
import { runContract } from './suite.mjs'
import NOS_IIFE from './nos-iife.mjs'
import * as NOS_ESM from './nos-esm.mjs'

export default {
  async fetch(request, env) {
    const build = new URL(request.url).searchParams.get('build') ?? 'iife'
    const NOS = build === 'esm' ? NOS_ESM : NOS_IIFE
    const lines = []
    const result = await runContract({
      NOS, endpoint: env.ENDPOINT, accessKeyId: env.ACCESS_KEY_ID, accessKeySecret: env.ACCESS_KEY_SECRET, bucket: env.BUCKET,
      prefix: 'workerd-' + build + '-' + crypto.randomUUID() + '/', log: (l) => lines.push(l),
    })
    // Proof that this worker has no Node compatibility layer.
    const globals = { process: typeof process, Buffer: typeof Buffer, require: typeof require, navigator: globalThis.navigator?.userAgent }
    return Response.json({ ...result, lines, globals })
  },
}
`

/** Starts miniflare, runs the suite once per build, stops it. Resolves to `{ iife, esm, workerdVersion }`. */
export async function runInWorkerd({ endpoint, accessKeyId = 'AK', accessKeySecret = 'SK', bucket = 'contract', builds = ['iife', 'esm'] }) {
  // Module paths only name the modules (their contents are given); they must lie under modulesRoot.
  const at = (name) => `${ROOT}/__worker__/${name}`
  const mf = new Miniflare({
    modulesRoot: ROOT,
    modules: [
      { type: 'ESModule', path: at('worker.mjs'), contents: WORKER },
      { type: 'ESModule', path: at('suite.mjs'), contents: suiteSource() },
      // The two <script> bundles as a page loads them: the full one, then direct upload completing the global NOS.
      { type: 'ESModule', path: at('nos-iife.mjs'), contents: `${iife()}\nglobalThis.NOS = NOS;\n${directIife()}\nexport default globalThis.NOS;\n` },
      { type: 'ESModule', path: at('nos-esm.mjs'), contents: await esmBundle() },
    ],
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: [],
    bindings: { ENDPOINT: endpoint, ACCESS_KEY_ID: accessKeyId, ACCESS_KEY_SECRET: accessKeySecret, BUCKET: bucket },
  })
  try {
    const results = {}
    for (const build of builds) {
      const res = await mf.dispatchFetch(`http://worker.local/?build=${build}`)
      const text = await res.text()
      if (res.status !== 200) throw new Error(`worker answered ${res.status}: ${text.slice(0, 2000)}`)
      results[build] = JSON.parse(text)
    }
    return results
  } finally {
    await mf.dispose()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [endpoint, accessKeyId, accessKeySecret, bucket] = process.argv.slice(2)
  if (!endpoint) {
    console.error('usage: node test/runtimes/workerd-run.mjs ENDPOINT [ACCESS_KEY_ID ACCESS_KEY_SECRET BUCKET]')
    process.exit(2)
  }
  const results = await runInWorkerd({ endpoint, accessKeyId, accessKeySecret, bucket })
  for (const [build, r] of Object.entries(results)) for (const l of r.lines) console.log(`[workerd ${build}] ${l}`)
  console.log(`CONTRACT_RESULT ${JSON.stringify({ runtime: 'workerd', results })}`)
  process.exitCode = Object.values(results).some((r) => r.failed > 0) ? 1 : 0
}
