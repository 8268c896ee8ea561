/**
 * The contract suite inside `@edge-runtime/vm` (Vercel's Edge Runtime sandbox: web APIs only, no `process`,
 * no `require`). The shipped IIFE bundle (`dist/nos-sdk.global.min.js`) is evaluated first, which defines
 * the global `NOS`, then the direct-upload bundle (which completes it); then the suite as a script; then
 * `runContract({ NOS, ... })` inside the VM.
 *
 *   node test/runtimes/edge-vm-run.mjs ENDPOINT [ACCESS_KEY_ID ACCESS_KEY_SECRET BUCKET]
 *
 * or `import { runInEdgeVm } from './edge-vm-run.mjs'` (test/runtimes/runtimes.test.ts).
 */
import { pathToFileURL } from 'node:url'
import { EdgeVM } from '@edge-runtime/vm'
import { directIife, iife, suiteAsScript } from './bundles.mjs'

export async function runInEdgeVm({ endpoint, accessKeyId = 'AK', accessKeySecret = 'SK', bucket = 'contract', log = () => {} }) {
  const vm = new EdgeVM()
  const globals = vm.evaluate('({ process: typeof process, Buffer: typeof Buffer, require: typeof require, subtle: typeof crypto.subtle })')
  vm.evaluate(iife())
  vm.evaluate(directIife())
  vm.evaluate(suiteAsScript())
  vm.context.__contractLog = log
  vm.context.__contractArgs = JSON.stringify({ endpoint, accessKeyId, accessKeySecret, bucket, prefix: `edge-vm-${Date.now()}/` })
  const result = await vm.evaluate(
    '__nosContract.runContract({ NOS, log: (l) => __contractLog(l), ...JSON.parse(__contractArgs) }).then((r) => JSON.stringify(r))',
  )
  return { ...JSON.parse(result), globals: { ...globals } }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [endpoint, accessKeyId, accessKeySecret, bucket] = process.argv.slice(2)
  if (!endpoint) {
    console.error('usage: node test/runtimes/edge-vm-run.mjs ENDPOINT [ACCESS_KEY_ID ACCESS_KEY_SECRET BUCKET]')
    process.exit(2)
  }
  const r = await runInEdgeVm({ endpoint, accessKeyId, accessKeySecret, bucket, log: (l) => console.log(`[edge-vm] ${l}`) })
  console.log(`CONTRACT_RESULT ${JSON.stringify({ runtime: 'edge-vm', results: { iife: r } })}`)
  process.exitCode = r.failed > 0 ? 1 : 0
}
