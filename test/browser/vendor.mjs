/**
 * Browser ES modules for the three dependencies that `dist/index.js` / `dist/browser.js` import by bare name.
 *
 * Why: the npm ESM build keeps its dependencies external (a bundler or runtime resolves them), and two of them
 * (fetch-retry, spark-md5) are CommonJS/UMD, which a browser cannot `import` even through an import map into
 * node_modules. A page that loads `dist/*.js` natively therefore needs an import map to ES-module builds of the
 * dependencies: in production a CDN that converts them (e.g. https://esm.sh/fetch-retry@6.0.0), here the same
 * pinned versions from node_modules, converted by esbuild exactly once per run. (The IIFE/UMD bundles inline
 * everything and need no import map.)
 */
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** The bare specifiers the npm ESM build imports. */
export const BROWSER_DEPENDENCIES = ['fast-xml-parser', 'fetch-retry', 'spark-md5']
/** Modules the test pages themselves import: fast-check for property tests run in the browser. */
const TEST_PAGE_DEPENDENCIES = ['fast-check']
const VENDORED = [...BROWSER_DEPENDENCIES, ...TEST_PAGE_DEPENDENCIES]

/**
 * The source of an ES module re-exporting `name`: its default export (module.exports for CommonJS) and every
 * named export Node sees (for CommonJS, the properties of module.exports), whichever module format it ships.
 */
async function shimSource(name) {
  const keys = new Set(Object.keys(await import(name)))
  try {
    const cjs = createRequire(join(ROOT, 'package.json'))(name)
    if (cjs && (typeof cjs === 'object' || typeof cjs === 'function')) for (const k of Object.keys(cjs)) keys.add(k)
  } catch {
    // ESM only: the import above saw everything.
  }
  const named = [...keys].filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k))
  return [
    `import * as ns from '${name}'`,
    `export default ns.default ?? ns`,
    ...named.map((k) => `export const ${k} = ns.${k}`),
  ].join('\n')
}

/** The import map a page needs, pointing at `${base}/<name>.js`. */
export function importMap(base = '/vendor') {
  return { imports: Object.fromEntries(VENDORED.map((name) => [name, `${base}/${name}.js`])) }
}

/** Builds the shims: Map of '<name>.js' -> ES module source. */
export async function buildVendorModules() {
  const { build } = await import('esbuild')
  const out = new Map()
  for (const name of VENDORED) {
    const result = await build({
      stdin: { contents: await shimSource(name), resolveDir: ROOT, sourcefile: `${name}-shim.js` },
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2020',
      logLevel: 'silent',
    })
    out.set(`${name}.js`, result.outputFiles[0].text)
  }
  return out
}
