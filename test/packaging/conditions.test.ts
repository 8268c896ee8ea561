/**
 * Which build the bare specifier `nos-sdk` gives, resolved the way each runtime and bundler resolves it (package.json
 * `exports` conditions): the Node build (node:crypto MD5 and HMAC, `NOS_SDK_BUILD === 'node'`) in Node
 * (ESM and CJS), Bun (ESM and CJS) and Deno; the web build everywhere else: workerd (bundled as wrangler does, run in
 * miniflare without nodejs_compat), Vercel's edge runtime (bundled with `edge-light`, run in @edge-runtime/vm), and
 * bundles for browsers (esbuild `platform: 'browser'`) or with default conditions (`platform: 'neutral'`), which
 * must never pull a `node:*` module.
 *
 * A consumer project in a temp dir (`node_modules/nos-sdk` a symlink to this package) imports `nos-sdk` as a user's
 * code would. Needs `npm run build`.
 */
import { createHmac } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BIN, ROOT, run } from '../runtimes/spawn.js'

/** What the probe prints: the build's marker, the client's default MD5 and signer, and a digest to prove they work. */
interface Probe {
  build: string
  md5: string
  hello: string
  signature: string
}

/** The probe, as an ES module (`NOS` is the imported namespace). */
const PROBE = `
const client = new NOS.NosClient({ accessKeyId: 'AK', accessKeySecret: 'SK' })
const h = await client.config.md5()
h.update(new TextEncoder().encode('hello'))
const probe = { build: NOS.NOS_SDK_BUILD, md5: client.config.md5.name, hello: h.digestHex(), signature: await client.config.signer('GET\\n\\n\\n1\\n/b/k') }
`
const ESM = `import * as NOS from 'nos-sdk'\n${PROBE}\nconsole.log('PROBE ' + JSON.stringify(probe))\n`
const CJS = `const NOS = require('nos-sdk')\n;(async () => {\n${PROBE}\nconsole.log('PROBE ' + JSON.stringify(probe))\n})()\n`
/** For the runtimes that take a module exporting a fetch handler (workerd). */
const WORKER = `import * as NOS from 'nos-sdk'\nexport default { async fetch() {\n${PROBE}\nreturn Response.json(probe) } }\n`
/** HMAC-SHA256 of the probe's string-to-sign under 'SK', Base64: what any correct signer gives. */
const SIGNATURE = createHmac('sha256', 'SK').update('GET\n\n\n1\n/b/k').digest('base64')
const HELLO = '5d41402abc4b2a76b9719d911017c592'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nos-consumer-'))
  mkdirSync(join(dir, 'node_modules'))
  symlinkSync(ROOT, join(dir, 'node_modules', 'nos-sdk'), 'dir')
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { 'nos-sdk': '*' } }))
  writeFileSync(join(dir, 'esm.mjs'), ESM)
  writeFileSync(join(dir, 'cjs.cjs'), CJS)
  writeFileSync(join(dir, 'worker.mjs'), WORKER)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function probe(cmd: string, args: string[]): Promise<Probe> {
  const out = await run(cmd, args, { cwd: dir })
  const line = out.stdout.split('\n').find((l) => l.startsWith('PROBE '))
  if (!line) throw new Error(`no PROBE line (exit ${out.code})\n${out.stdout}\n${out.stderr}`)
  return JSON.parse(line.slice(6)) as Probe
}

const NODE_BUILD = { build: 'node', md5: 'createNodeMd5', hello: HELLO, signature: SIGNATURE }
const WEB_BUILD = { build: 'web', md5: 'createWasmMd5', hello: HELLO, signature: SIGNATURE }

/** Bundles `entry` of the consumer with esbuild; returns the code and the `node:*` (or bare built-in) imports left. */
async function bundle(entry: string, options: { platform: 'browser' | 'neutral'; conditions?: string[] }): Promise<{ code: string; nodeImports: string[] }> {
  const { build } = await import('esbuild')
  const { builtinModules } = await import('node:module')
  const out = await build({
    entryPoints: [join(dir, entry)], absWorkingDir: dir, bundle: true, write: false, format: 'esm', target: 'es2022', metafile: true, logLevel: 'silent',
    platform: options.platform, ...(options.conditions ? { conditions: options.conditions } : {}),
    // A platform-neutral bundle looks for `module`/`main` as esbuild's browser platform does (no `exports` fallback needed here).
    mainFields: ['browser', 'module', 'main'],
  })
  const imports = Object.values(out.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path))
  const nodeImports = imports.filter((p) => p.startsWith('node:') || builtinModules.includes(p))
  return { code: out.outputFiles[0]!.text, nodeImports }
}

describe('the bare specifier nos-sdk, per runtime', () => {
  it('Node ESM (import) and CJS (require) get the Node build', async () => {
    expect(await probe(process.execPath, ['esm.mjs'])).toEqual(NODE_BUILD)
    expect(await probe(process.execPath, ['cjs.cjs'])).toEqual(NODE_BUILD)
  })

  it('Bun (import and require) gets the Node build (condition bun)', async () => {
    expect(await probe(BIN('bun'), ['esm.mjs'])).toEqual(NODE_BUILD)
    expect(await probe(BIN('bun'), ['cjs.cjs'])).toEqual(NODE_BUILD)
  })

  it('Deno gets the Node build (condition deno), with no permission asked', async () => {
    expect(await probe(BIN('deno'), ['run', '--no-prompt', 'esm.mjs'])).toEqual(NODE_BUILD)
  })

  it('workerd (bundled as wrangler does: workerd, worker, browser) gets the web build and runs without nodejs_compat', async () => {
    const { code, nodeImports } = await bundle('worker.mjs', { platform: 'neutral', conditions: ['workerd', 'worker', 'browser'] })
    expect(nodeImports).toEqual([])
    const { Miniflare } = await import('miniflare')
    const mf = new Miniflare({ modules: true, script: code, compatibilityDate: '2025-09-01' })
    try {
      // WebAssembly cannot be compiled in workerd: the web build's MD5 falls back to JavaScript there.
      expect(await (await mf.dispatchFetch('http://localhost/')).json()).toEqual(WEB_BUILD)
    } finally {
      await mf.dispose()
    }
  })

  it('the edge runtime (bundled with edge-light, worker, browser, as Next.js does) gets the web build', async () => {
    const { code, nodeImports } = await bundle('esm.mjs', { platform: 'neutral', conditions: ['edge-light', 'worker', 'browser'] })
    expect(nodeImports).toEqual([])
    const { EdgeVM } = await import('@edge-runtime/vm')
    const vm = new EdgeVM()
    let printed = ''
    vm.context.console = { ...console, log: (l: string) => void (printed += l) }
    // The bundle is an ES module with top-level await: run it as the body of an async function.
    await vm.evaluate(`(async () => {\n${code}\n})()`)
    expect(JSON.parse(printed.replace(/^PROBE /, ''))).toEqual(WEB_BUILD)
  })

  it('bundles for browsers, and platform-neutral bundles with default conditions, never pull node:*', async () => {
    for (const platform of ['browser', 'neutral'] as const) {
      const { code, nodeImports } = await bundle('esm.mjs', { platform })
      expect(nodeImports, platform).toEqual([])
      expect(code, platform).not.toMatch(/["']node:/)
      expect(code, platform).toMatch(/NOS_SDK_BUILD = "web"/)
    }
  })
})
