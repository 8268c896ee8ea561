/**
 * Every server-side example, run as a user would run it, against an emulator started here:
 * examples/node/main.mjs (node), examples/bun/main.ts (bun), examples/deno/main.ts (deno, with only the
 * permissions its header names), examples/edge/worker.mjs (bundled as wrangler would, in workerd via
 * miniflare without nodejs_compat). The browser example runs in test/browser/examples.spec.ts.
 */
import { join } from 'node:path'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { COMPATIBILITY_DATE } from './workerd-run.mjs'
import { bundleLikeWrangler } from './bundles.mjs'
import { BIN, ROOT, run, type RunResult } from './spawn.js'

const AK = 'exampleAccessKey'
const SK = 'exampleSecretKey0123456789'
const BUCKET = 'examples'

let emu: Emulator
let env: Record<string, string>
beforeAll(async () => {
  emu = await startEmulator({ port: 0, credentials: [{ accessKeyId: AK, accessKeySecret: SK }], buckets: [BUCKET] })
  env = { NOS_ENDPOINT: emu.endpoint, NOS_ACCESS_KEY_ID: AK, NOS_ACCESS_KEY_SECRET: SK, NOS_BUCKET: BUCKET }
})
afterAll(() => emu?.close())

/** Checks the `put / get / presign / fetch` lines every CLI example prints, and the URL it printed. */
async function checkOutput(out: RunResult, greeting: RegExp) {
  expect(out.code, `exit code\nstdout:\n${out.stdout}\nstderr:\n${out.stderr}`).toBe(0)
  const line = (tag: string) => out.stdout.split('\n').find((l) => l.startsWith(`${tag} `))?.slice(tag.length).trim() ?? ''
  expect(line('put')).toMatch(/^examples\/\w+\/hello-\d+\.txt etag=[0-9a-f]{32}$/)
  expect(line('get')).toMatch(greeting)
  const url = line('presign')
  expect(url.startsWith(`${emu.endpoint}/${BUCKET}/examples`), url).toBe(true)
  expect(url).toMatch(/[?&]Signature=[^&]+/)
  expect(line('fetch')).toBe(`200 ${line('get')}`)
  // The printed URL works for anyone (here: this test).
  const res = await fetch(url)
  expect(res.status).toBe(200)
  expect(await res.text()).toBe(line('get'))
}

describe('examples', () => {
  it('examples/node/main.mjs', async () => {
    await checkOutput(await run(process.execPath, ['examples/node/main.mjs'], { env }), /^Hello from Node v\d+/)
  })

  it('examples/bun/main.ts', async () => {
    const out = await run(BIN('bun'), ['examples/bun/main.ts'], { env })
    await checkOutput(out, /^Hello from Bun \d+\.\d+/)
    expect(out.stdout).toMatch(/^put +examples\/bun\/hello-\d+\.txt\.source\.ts etag=[0-9a-f]{32}$/m)
  })

  it('examples/deno/main.ts (only --allow-env for the four variables and --allow-net for the emulator)', async () => {
    const out = await run(BIN('deno'), [
      'run', '--allow-env=NOS_ENDPOINT,NOS_ACCESS_KEY_ID,NOS_ACCESS_KEY_SECRET,NOS_BUCKET', `--allow-net=127.0.0.1:${emu.port}`,
      // Reading the SDK from this repository's node_modules/dist (a user would import npm:nos-sdk).
      '--allow-read=.', 'examples/deno/main.ts',
    ], { env })
    await checkOutput(out, /^Hello from Deno \d+\.\d+/)
    // And it type-checks under Deno's own TypeScript against the SDK's published types (dist/index.d.ts).
    const check = await run(BIN('deno'), ['check', 'examples/deno/main.ts'])
    expect(check.code, check.stderr).toBe(0)
  })

  it('a CLI example without its variables says which to set', async () => {
    const out = await run(process.execPath, ['examples/node/main.mjs'], { env: { NOS_ENDPOINT: '' } })
    expect(out.code).toBe(2)
    expect(out.stderr).toContain('Set NOS_ENDPOINT, NOS_ACCESS_KEY_ID, NOS_ACCESS_KEY_SECRET and NOS_BUCKET')
  })

  it('examples/edge/worker.mjs in workerd (bundled like wrangler, no nodejs_compat): its URLs work', async () => {
    const script = await bundleLikeWrangler(join(ROOT, 'examples/edge/worker.mjs'))
    const mf = new Miniflare({ modules: true, script, compatibilityDate: COMPATIBILITY_DATE, bindings: env })
    try {
      const presign = await mf.dispatchFetch('http://edge.example/presign?name=report%202026.csv&type=text/csv')
      expect(presign.status).toBe(200)
      expect(presign.headers.get('access-control-allow-origin')).toBe('*')
      const { key, put, get } = (await presign.json()) as { key: string; put: { url: string; method: string; headers: Record<string, string> }; get: string }
      expect(key).toBe('uploads/report 2026.csv')
      expect(put.method).toBe('PUT')
      expect(put.headers).toEqual({ 'Content-Type': 'text/csv' })

      // The browser's part, played by this test: PUT with the signed headers, then GET.
      const body = 'a,b\n1,2\n'
      const up = await fetch(put.url, { method: 'PUT', headers: put.headers, body })
      expect(up.status, await up.clone().text()).toBe(200)
      const down = await fetch(get)
      expect(down.status).toBe(200)
      expect(await down.text()).toBe(body)
      expect(down.headers.get('content-type')).toBe('text/csv')
      // The type is pinned: another one is refused by NOS.
      expect((await fetch(put.url, { method: 'PUT', headers: { 'Content-Type': 'text/html' }, body: '<script>' })).status).toBe(403)

      expect((await mf.dispatchFetch('http://edge.example/presign?name=../escape')).status).toBe(400)
      expect((await mf.dispatchFetch('http://edge.example/other')).status).toBe(404)
    } finally {
      await mf.dispose()
    }
  })
})
