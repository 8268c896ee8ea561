/**
 * The built artefacts in `dist/`, loaded the way users load them, each signing the first golden vector.
 * Runs after `npm run build` (scripts/test.mjs builds first). A missing `dist/` is a failure, never a skip:
 * a packaging test that passes without a package proves nothing.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { builtinModules, createRequire } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import vm from 'node:vm'
import { describe, expect, it } from 'vitest'
import vectors from '../fixtures/vectors/header-signing.json'
import { DIRECT_UPLOAD_ALSO, NOT_IN_PAGE_BUNDLES, pageGlobalNames } from '../../scripts/page-bundle-plugin.mjs'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const DIST = join(ROOT, 'dist')
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>
  exports: unknown
  bin?: Record<string, string>
  [field: string]: unknown
}

/** The part of the public API this file needs. */
interface SigningApi {
  stringToSign(req: { method: string; bucket?: string; key?: string; query?: object; headers?: Record<string, string> }): string
  createHmacSigner(secret: string): (stringToSign: string) => Promise<string>
}

/** A header-signing vector (test/fixtures/vectors/header-signing.json). */
interface Vector {
  request: { method: string; bucket: string | null; key: string | null; query: Record<string, string | null>; headers: Record<string, string> }
  expected: { stringToSign: string; authorization: string }
}
const first = vectors.cases[0] as unknown as Vector

/** Signs the first header-signing vector with `api` and checks the string-to-sign and the Authorization. */
async function signsFirstVector(api: SigningApi | undefined): Promise<void> {
  expect(api, 'module loaded').toBeTruthy()
  expect(typeof api!.stringToSign).toBe('function')
  expect(typeof api!.createHmacSigner).toBe('function')
  const sts = api!.stringToSign({
    method: first.request.method,
    bucket: first.request.bucket ?? undefined,
    key: first.request.key ?? undefined,
    query: first.request.query,
    headers: first.request.headers,
  })
  expect(sts).toBe(first.expected.stringToSign)
  const signature = await api!.createHmacSigner(vectors.accessKeySecret)(sts)
  expect(`NOS ${vectors.accessKeyId}:${signature}`).toBe(first.expected.authorization)
}

function distFile(name: string): string {
  const file = join(DIST, name)
  if (!existsSync(file)) throw new Error(`${relative(ROOT, file)} is missing: run \`npm run build\` first (npm test does)`)
  return file
}

const requireFromHere = createRequire(import.meta.url)
/**
 * Node's own `import()`, not vitest's: vite would otherwise transform and resolve `dist/*.js` itself, hiding
 * what Node's ESM loader rejects (extension-less specifiers, missing exports of CJS dependencies...).
 */
const nativeImport = requireFromHere('../helpers/native-import.cjs') as (url: string) => Promise<unknown>

/** Web platform globals only, as in a browser or a worker: no process, require, module, Buffer. */
const WEB_GLOBALS = [
  'crypto', 'TextEncoder', 'TextDecoder', 'btoa', 'atob', 'URL', 'URLSearchParams',
  'fetch', 'Headers', 'Request', 'Response', 'FormData', 'Blob', 'File',
  'ReadableStream', 'WritableStream', 'TransformStream', 'TextEncoderStream', 'TextDecoderStream',
  'AbortController', 'AbortSignal', 'DOMException', 'Event', 'EventTarget',
  'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'structuredClone',
  'performance', 'console',
] as const

function webContext(extra: Record<string, unknown> = {}): vm.Context {
  const sandbox: Record<string, unknown> = {}
  for (const name of WEB_GLOBALS) {
    if (name in globalThis) sandbox[name] = (globalThis as Record<string, unknown>)[name]
  }
  const context = vm.createContext(Object.assign(sandbox, extra))
  vm.runInContext('globalThis.self = globalThis', context)
  for (const nodeOnly of ['process', 'require', 'Buffer', 'global']) {
    expect(vm.runInContext(`typeof ${nodeOnly}`, context), `${nodeOnly} in the web context`).toBe('undefined')
  }
  return context
}

function runScript(file: string, context: vm.Context): void {
  vm.runInContext(readFileSync(distFile(file), 'utf8'), context, { filename: join(DIST, file) })
}

describe('dist/ exists', () => {
  it('was built (npm run build)', () => {
    expect(existsSync(DIST), 'dist/ is missing: run `npm run build` first (npm test does)').toBe(true)
  })
})

describe('library entries in Node', () => {
  it('ESM dist/index.js (native import) signs the first vector', async () => {
    await signsFirstVector((await nativeImport(pathToFileURL(distFile('index.js')).href)) as SigningApi)
  })

  it('CJS dist/index.cjs (require) signs the first vector', async () => {
    await signsFirstVector(requireFromHere(distFile('index.cjs')) as SigningApi)
  })

  it('ESM and CJS expose the same names', async () => {
    const esm = (await nativeImport(pathToFileURL(distFile('index.js')).href)) as object
    const cjs = requireFromHere(distFile('index.cjs')) as object
    expect(Object.keys(cjs).filter((k) => k !== '__esModule').sort()).toEqual(Object.keys(esm).sort())
  })

  it('ESM dist/signer.js and CJS dist/signer.cjs (nos-sdk/signer) sign the first vector', async () => {
    await signsFirstVector((await nativeImport(pathToFileURL(distFile('signer.js')).href)) as SigningApi)
    await signsFirstVector(requireFromHere(distFile('signer.cjs')) as SigningApi)
  })

  for (const entry of ['browser', 'node', 'emulator', 'signer']) {
    it(`dist/${entry}.js and dist/${entry}.cjs load`, async () => {
      const esm = (await nativeImport(pathToFileURL(distFile(`${entry}.js`)).href)) as object
      const cjs = requireFromHere(distFile(`${entry}.cjs`)) as object
      expect(Object.keys(esm).length).toBeGreaterThan(0)
      expect(Object.keys(cjs).filter((k) => k !== '__esModule').sort()).toEqual(Object.keys(esm).sort())
    })
  }
})

describe('browser bundles in a context with web globals only', () => {
  it('dist/nos-sdk.global.min.js defines the global NOS', async () => {
    const context = webContext()
    runScript('nos-sdk.global.min.js', context)
    await signsFirstVector(context.NOS as SigningApi)
  })

  it('the global NOS has every runtime export of nos-sdk/browser but the backend-only ones, the other MD5s and direct upload', async () => {
    const context = webContext()
    runScript('nos-sdk.global.min.js', context)
    const browser = await import('../../src/browser.js')
    const directOnly = pageGlobalNames().directUpload.filter((k) => !DIRECT_UPLOAD_ALSO.includes(k))
    const expected = Object.keys(browser).filter((k) => !NOT_IN_PAGE_BUNDLES.includes(k) && !directOnly.includes(k)).sort()
    expect(Object.keys(context.NOS as object).sort()).toEqual(expected)
    expect(pageGlobalNames().full).toEqual(expected)
    // What pages and examples call on the global (test/browser/pages, examples/browser).
    for (const name of ['NosClient', 'putPresigned', 'remoteSigner', 'isBrowserLike', 'isNosErrorKind', 'isNosException', 'isClientException', 'md5Hex']) {
      expect(typeof (context.NOS as Record<string, unknown>)[name], name).toBe('function')
    }
  })

  it('dist/nos-sdk.direct-upload.min.js completes the global NOS with direct upload (after the full bundle, or alone)', async () => {
    const browser = (await import('../../src/browser.js')) as Record<string, unknown>
    // Derived from src/browser.ts (scripts/page-bundle-plugin.mjs); the names the bundle has always carried.
    const directUpload = pageGlobalNames().directUpload
    expect(directUpload).toEqual([
      'DEFAULT_DIRECT_CHUNK_SIZE', 'DEFAULT_LBS_ENDPOINT', 'DEFAULT_LBS_TTL_MS', 'DirectUpload', 'DirectUploadPausedError', 'LBS_FALLBACK_ENDPOINT',
      'LocalStorageCheckpointStore', 'MAX_DIRECT_CHUNK_SIZE', 'MIN_DIRECT_CHUNK_SIZE', 'MemoryCheckpointStore', 'directUpload', 'directUploadFile',
      'isAbortError', 'isClientException', 'isDirectUploadCheckpoint', 'isNosErrorKind', 'isNosException', 'isServiceException',
    ])
    const both = webContext()
    runScript('nos-sdk.global.min.js', both)
    const full = { ...(both.NOS as object) } as Record<string, unknown>
    runScript('nos-sdk.direct-upload.min.js', both)
    const NOS = both.NOS as Record<string, unknown>
    // Names the full bundle has keep their value (one copy of each class); the rest are added.
    for (const name of Object.keys(full)) expect(NOS[name], name).toBe(full[name])
    expect(Object.keys(NOS).sort()).toEqual(Object.keys(browser).filter((k) => !NOT_IN_PAGE_BUNDLES.includes(k)).sort())
    const alone = webContext()
    runScript('nos-sdk.direct-upload.min.js', alone)
    expect(Object.keys(alone.NOS as object).sort()).toEqual(directUpload)
    expect(typeof (alone.NOS as Record<string, unknown>)['directUploadFile']).toBe('function')
  })

  it('dist/nos-sdk.browser.min.mjs is one ES module with every dependency inlined and signs the first vector', async () => {
    const code = readFileSync(distFile('nos-sdk.browser.min.mjs'), 'utf8')
    expect(code).not.toMatch(/\bfrom\s*["']|\bimport\s*\(|\brequire\(/)
    const mod = (await nativeImport(pathToFileURL(distFile('nos-sdk.browser.min.mjs')).href)) as SigningApi
    await signsFirstVector(mod)
  })

  it('dist/nos-sdk.umd.min.js as a plain <script> defines the global NOS', async () => {
    const context = webContext()
    runScript('nos-sdk.umd.min.js', context)
    await signsFirstVector(context.NOS as SigningApi)
  })

  it('dist/nos-sdk.umd.min.js under CommonJS sets module.exports and no global', async () => {
    const module = { exports: {} as unknown }
    const context = webContext({ module, exports: module.exports })
    runScript('nos-sdk.umd.min.js', context)
    expect(context.NOS).toBeUndefined()
    await signsFirstVector(module.exports as SigningApi)
  })

  it('dist/nos-sdk.umd.min.js under AMD calls define([], factory) and sets no global', async () => {
    const calls: unknown[][] = []
    const define = Object.assign((...args: unknown[]) => void calls.push(args), { amd: {} })
    const context = webContext({ define })
    runScript('nos-sdk.umd.min.js', context)
    expect(context.NOS).toBeUndefined()
    expect(calls).toHaveLength(1)
    const [deps, factory] = calls[0]!
    expect(deps).toEqual([])
    expect(typeof factory).toBe('function')
    await signsFirstVector((factory as () => SigningApi)())
  })

  it('the browser bundles inline every dependency (no require or import left)', () => {
    for (const file of ['nos-sdk.global.min.js', 'nos-sdk.umd.min.js', 'nos-sdk.direct-upload.min.js']) {
      const code = readFileSync(distFile(file), 'utf8')
      // esbuild's shim for a require() it could not bundle, and an import() it left external.
      expect(code, file).not.toContain('Dynamic require of')
      expect(code, file).not.toMatch(/\bimport\(\s*["']/)
      expect(code, file).not.toMatch(/["']node:[a-z]/)
    }
  })
})

/** Every module specifier a dist file loads, with the relative ones followed (ESM chunks, CJS requires). */
function importGraph(entry: string): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>() // file -> bare specifiers
  // esbuild's unminified output: static imports/re-exports start a line; require() and import() calls anywhere.
  const SPECIFIER =
    /^(?:import|export)\b[^;'"]*?(?:\bfrom\s*)?["']([^"']+)["']|\b(?:require|import)\(\s*["']([^"']+)["']\s*\)/gm
  const visit = (file: string): void => {
    if (graph.has(file)) return
    const bare = new Set<string>()
    graph.set(file, bare)
    for (const [, staticSpec, callSpec] of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      const spec = (staticSpec ?? callSpec)!
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec))
      else bare.add(spec)
    }
  }
  visit(distFile(entry))
  return graph
}

const packageName = (spec: string): string =>
  spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!
const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)])

describe('module graph of the built files', () => {
  // The portable core must not touch Node (docs/architecture.md#portable-core), in its ESM chunks or its CJS file.
  for (const entry of ['index.js', 'index.cjs', 'browser.js', 'browser.cjs', 'signer.js', 'signer.cjs']) {
    it(`dist/${entry} imports no node: module nor any Node built-in`, () => {
      for (const [file, specs] of importGraph(entry)) {
        for (const spec of specs) {
          expect(spec.startsWith('node:') || NODE_BUILTINS.has(spec), `${relative(ROOT, file)} imports ${spec}`).toBe(false)
        }
        expect(readFileSync(file, 'utf8'), relative(ROOT, file)).not.toMatch(/["']node:[a-z_/]+["']/)
      }
    })
  }

  // Whatever stays external must be installed for the user: a runtime dependency (or a Node built-in).
  for (const entry of ['index.js', 'index.cjs', 'browser.js', 'browser.cjs', 'node.js', 'node.cjs', 'emulator.js', 'emulator.cjs', 'emulator-cli.js', 'signer.js', 'signer.cjs']) {
    it(`dist/${entry} only imports declared dependencies`, () => {
      const declared = new Set(Object.keys(pkg.dependencies ?? {}))
      for (const [file, specs] of importGraph(entry)) {
        for (const spec of specs) {
          if (NODE_BUILTINS.has(spec)) continue
          expect(declared.has(packageName(spec)), `${relative(ROOT, file)} imports ${spec}, not in dependencies`).toBe(true)
        }
      }
    })
  }
})

describe('package.json', () => {
  /** Every file path named under `exports`, whatever the nesting of conditions. */
  const exportTargets = (node: unknown): string[] =>
    typeof node === 'string' ? [node] : node && typeof node === 'object' ? Object.values(node).flatMap(exportTargets) : []

  it('every file named by exports exists', () => {
    const targets = exportTargets(pkg.exports)
    expect(targets.length).toBeGreaterThan(10)
    for (const target of targets) expect(existsSync(join(ROOT, target)), target).toBe(true)
  })

  it('main, module, types, unpkg, jsdelivr and bin files exist', () => {
    const fields = ['main', 'module', 'types', 'unpkg', 'jsdelivr'].map((f) => pkg[f] as string)
    for (const target of [...fields, ...Object.values(pkg.bin ?? {})]) {
      expect(typeof target).toBe('string')
      expect(existsSync(join(ROOT, target)), target).toBe(true)
    }
    expect(pkg.unpkg).toBe('./dist/nos-sdk.umd.min.js')
    expect(pkg.jsdelivr).toBe(pkg.unpkg)
  })

  it('every bin starts with a node shebang', () => {
    const bins = Object.entries(pkg.bin ?? {})
    expect(bins.length).toBeGreaterThan(0)
    for (const [name, target] of bins) {
      const file = join(ROOT, target)
      const code = readFileSync(file, 'utf8')
      expect(code.startsWith('#!/usr/bin/env node\n'), name).toBe(true)
      expect(code.split('\n')[1]!.startsWith('#!'), `${name}: a second shebang line`).toBe(false)
      expect(statSync(file).size).toBeGreaterThan(0)
    }
  })
})
