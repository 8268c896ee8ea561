/**
 * Figure: start-up cost of `import 'nos-sdk'` in Node, as a user's program pays it. A consumer
 * project in a temp dir (`node_modules/nos-sdk` a symlink to this package, so package.json `exports` and its `node`
 * condition decide what loads) runs, in fresh processes, interleaved:
 *   - `node -e 0` (bare node) and `node empty.mjs` (bare node plus its ES module loader, which any ESM program pays);
 *   - `node sdk.mjs`: `import 'nos-sdk'`; `node sdk.cjs`: `require('nos-sdk')`; `node sdk-node.mjs`: `import 'nos-sdk/node'`.
 * Ratios are medians of per-round ratios (each round runs every case once). Target: <= 1.2x bare node.
 * Needs `npm run build` (it builds when dist/ is missing, and says when dist/ is older than src/).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { pairRow } from './lib/pairs.js'
import { QUICK, log } from './lib/stats.js'
import type { Figure, Row } from './lib/types.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

function newest(dir: string): number {
  let t = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return t
}

function wall(args: string[], cwd: string): number {
  const t0 = performance.now()
  const r = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] })
  const ms = performance.now() - t0
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr.toString()}`)
  return ms
}

/** A consumer project whose node_modules/nos-sdk is this package. */
function consumer(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nos-bench-import-'))
  mkdirSync(join(dir, 'node_modules'))
  symlinkSync(ROOT, join(dir, 'node_modules', 'nos-sdk'), 'dir')
  writeFileSync(join(dir, 'package.json'), '{"private":true}')
  writeFileSync(join(dir, 'empty.mjs'), 'export {}\n')
  writeFileSync(join(dir, 'sdk.mjs'), "import 'nos-sdk'\n")
  writeFileSync(join(dir, 'sdk.cjs'), "require('nos-sdk')\n")
  writeFileSync(join(dir, 'sdk-node.mjs'), "import 'nos-sdk/node'\n")
  return dir
}

export const importFigure: Figure = {
  id: 'import',
  title: "import 'nos-sdk' (Node build) vs bare node",
  async run(): Promise<Row[]> {
    const dist = join(ROOT, 'dist', 'index-node.js')
    if (!existsSync(dist)) {
      log('dist/index-node.js missing: npm run build')
      const b = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' })
      if (b.status !== 0) throw new Error('npm run build failed')
    }
    const stale = statSync(dist).mtimeMs < newest(join(ROOT, 'src'))
    const runs = QUICK ? 7 : 31
    const dir = consumer()
    try {
      const cases: Record<string, string[]> = { bare: ['-e', '0'], esmLoader: ['empty.mjs'], esm: ['sdk.mjs'], cjs: ['sdk.cjs'], node: ['sdk-node.mjs'] }
      for (let i = 0; i < 3; i++) for (const a of Object.values(cases)) wall(a, dir) // page cache
      const ms: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]))
      for (let i = 0; i < runs; i++) {
        const names = Object.keys(cases)
        for (const k of i % 2 ? names.reverse() : names) ms[k]!.push(wall(cases[k]!, dir))
      }
      const show = (t: number) => `${t.toFixed(1)} ms`
      // Lower is better for times: pairRow's ratio is reference/ours, so the "ours" slot holds the baseline and the
      // ratio printed is ours/baseline (1.10x = 10 % slower than bare node).
      const row = (figure: string, ours: string, ref: string, refLabel: string, max?: number): Row => {
        const r = pairRow({ figure, oursMs: ms[ref]!, refMs: ms[ours]!, show, min: undefined, details: { stale, runs } })
        return {
          ...r, ours: show(median(ms[ours]!)), reference: `${refLabel} ${show(median(ms[ref]!))}`,
          details: { ...r.details, why: 'Node\'s ES module loader alone costs what the third row shows (an empty module); the SDK\'s own modules ' +
            '(~160 KB in 5 files, nothing else loaded before first use) take ~10 ms more here. Fewer, smaller chunks would shave a few ms.' },
          target: max === undefined ? 'info' : `<= ${max}x`, pass: max === undefined ? undefined : r.ratio! <= max,
        }
      }
      const tag = stale ? ' (dist/ OLDER than src/)' : ''
      return [
        row(`import 'nos-sdk' in Node (ESM, the Node build)${tag}`, 'esm', 'bare', 'node -e 0', 1.2),
        row(`require('nos-sdk') in Node (CJS, the Node build)${tag}`, 'cjs', 'bare', 'node -e 0', 1.2),
        row(`import 'nos-sdk' vs an empty ES module (the loader's own cost set aside)${tag}`, 'esm', 'esmLoader', 'node empty.mjs'),
        row(`import 'nos-sdk/node' (file helpers too)${tag}`, 'node', 'bare', 'node -e 0'),
      ]
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  },
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
