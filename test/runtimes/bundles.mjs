/**
 * Builds of the SDK for runtimes that cannot resolve `node_modules` themselves (workerd, @edge-runtime/vm):
 *   - `iife()`: the shipped `<script>` bundle (`dist/nos-sdk.global.min.js`, global `NOS`), and `directIife()`, the
 *     direct-upload bundle a page loads after it (it completes `NOS`);
 *   - `esmBundle()`: the shipped ESM build (`dist/index.js`) with its three dependencies bundled by esbuild
 *     the way wrangler bundles a Worker (conditions `workerd`/`worker`/`browser`, no Node polyfills);
 *   - `suiteAsScript()`: the contract suite as a classic script that defines `globalThis.__nosContract`.
 * Node-only (runner side).
 */
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const SUITE_PATH = join(ROOT, 'test/contract/suite.mjs')

export function iife() {
  return readFileSync(join(ROOT, 'dist/nos-sdk.global.min.js'), 'utf8').replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n')
}

/** The direct-upload `<script>` bundle, which adds its names to an existing global `NOS`. */
export function directIife() {
  return readFileSync(join(ROOT, 'dist/nos-sdk.direct-upload.min.js'), 'utf8').replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n')
}

export function suiteSource() {
  return readFileSync(SUITE_PATH, 'utf8')
}

/** The suite as a script: its `export` keywords (line starts only, see the suite's header) removed. */
export function suiteAsScript() {
  const body = suiteSource().replace(/^export /gm, '')
  return `globalThis.__nosContract = (function () {\n${body}\nreturn { runContract, CONTRACT_CHECKS }\n})();\n`
}

/** Bundles an entry into one ES module the way wrangler deploys a worker (workerd conditions, no Node). */
export async function bundleLikeWrangler(entry) {
  const { build } = await import('esbuild')
  const out = await build({
    entryPoints: [entry],
    absWorkingDir: ROOT,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser', 'import'],
    mainFields: ['browser', 'module', 'main'],
    logLevel: 'silent',
  })
  return out.outputFiles[0].text
}

let esmCache
/** dist/index.js + fast-xml-parser, fetch-retry, spark-md5 in one ES module (what wrangler would deploy). */
export async function esmBundle() {
  esmCache ??= await bundleLikeWrangler(join(ROOT, 'dist/index.js'))
  return esmCache
}
