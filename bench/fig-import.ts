/**
 * Figure: wall time of `import('nos-sdk')` (dist/index.js, resolved through package.json `exports`) in a fresh
 * `node`, against a bare `node -e 0`. Interleaved runs, medians. Target (issue 7): <= 1.2x.
 * Needs `npm run build`; the figure builds only when dist/index.js is missing, and says when dist is older
 * than src/ (it then measures the stale build).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { QUICK, log, median } from './lib/stats.js'
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

function wall(args: string[]): number {
  const t0 = performance.now()
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
  const ms = performance.now() - t0
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr.toString()}`)
  return ms
}

export const importFigure: Figure = {
  id: 'import',
  title: "import('nos-sdk') vs node -e 0",
  async run(): Promise<Row[]> {
    const dist = join(ROOT, 'dist', 'index.js')
    if (!existsSync(dist)) {
      log('dist/index.js missing: npm run build')
      const b = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' })
      if (b.status !== 0) throw new Error('npm run build failed')
    }
    const stale = statSync(dist).mtimeMs < newest(join(ROOT, 'src'))
    const runs = QUICK ? 7 : 25
    const bare = ['-e', '0']
    const sdk = ['-e', "import('nos-sdk')"]
    // Where the time goes: each dependency alone, and the same entry as one file with its dependencies inlined.
    const tmp = mkdtempSync(join(tmpdir(), 'nos-bench-import-'))
    const single = join(tmp, 'index.mjs')
    await build({ entryPoints: [dist], bundle: true, format: 'esm', platform: 'neutral', mainFields: ['module', 'main'], outfile: single, logLevel: 'error' })
    const cases: Record<string, string[]> = {
      bare,
      sdk,
      'sdk + new NosClient': ['-e', "import('nos-sdk').then((m) => new m.NosClient({ accessKeyId: 'a', accessKeySecret: 'b' }))"],
      'one-file bundle': ['-e', `import(${JSON.stringify(single)})`],
      'fast-xml-parser': ['-e', "import('fast-xml-parser')"],
      'spark-md5': ['-e', "import('spark-md5')"],
      'fetch-retry': ['-e', "import('fetch-retry')"],
    }
    for (let i = 0; i < 3; i++) for (const a of Object.values(cases)) wall(a) // page cache
    const ms: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]))
    for (let i = 0; i < runs; i++) for (const [k, a] of Object.entries(cases)) ms[k]!.push(wall(a))
    rmSync(tmp, { recursive: true, force: true })
    const med = Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, median(v)])) as Record<string, number>
    const b = med.bare!
    const s = med.sdk!
    const one = med['one-file bundle']!
    return [
      {
        figure: `import('nos-sdk') (dist/index.js${stale ? ', OLDER than src/' : ''})`,
        ours: `${s.toFixed(1)} ms`,
        reference: `node -e 0: ${b.toFixed(1)} ms`,
        ratio: s / b,
        target: '<= 1.2x',
        pass: s / b <= 1.2,
        details: { medianMs: med, runsMs: ms, stale },
      },
      {
        figure: 'same entry as one file, dependencies inlined (esbuild)',
        ours: `${one.toFixed(1)} ms`,
        reference: `node -e 0: ${b.toFixed(1)} ms`,
        ratio: one / b,
        target: 'info (<= 1.2x)',
        details: {
          note: 'the cost is loading many files (dist chunks + fast-xml-parser ESM tree + 2 CJS packages), not executing them',
          deps: { fastXmlParser: med['fast-xml-parser']! - b, sparkMd5: med['spark-md5']! - b, fetchRetry: med['fetch-retry']! - b },
        },
      },
    ]
  },
}
