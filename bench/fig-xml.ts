/**
 * Figure: what a hostile XML body costs the client's event loop.
 *
 * - `isCompleteXml` (the completeness check `parseXml` runs first) on 1 MiB hostile bodies, worst shape: target
 *   < 50 ms. The regular expression it replaced backtracked over every `<Error`: 7 s for 256 KiB.
 * - `errorFromResponse` on a 1 MiB hostile error body: target < 50 ms (the body is read under a 16 KiB cap).
 * - `parseXml` parsing 1 MiB hostile bodies whole (fast-xml-parser's own time, linear but not fast): info.
 * - the old check on a smaller body, for reference: info.
 */
import { errorFromResponse } from '../src/core/transport.js'
import { isCompleteXml, parseXml } from '../src/core/xml.js'
import { QUICK, median } from './lib/stats.js'
import type { Figure, Row } from './lib/types.js'

const MiB = 1024 * 1024

/** Hostile bodies of about `n` bytes. */
const SHAPES: Record<string, (n: number) => string> = {
  'many <Error, closed': (n) => `<Error>${'<Error'.repeat(n / 6)}</Error>`,
  'many <Error, never closed': (n) => '<Error'.repeat(n / 6),
  'one long self-closing tag': (n) => `<Error${' a="1"'.repeat(n / 6)} />`,
  'trailing white space': (n) => `<Error></Error>${' \r\n\t'.repeat(n / 4)}`,
  'entity references': (n) => `<Error><Code>${'&lt;'.repeat(n / 4)}</Code></Error>`,
}

/** The completeness check before this issue (src/core/xml.ts at commit bde7c93), for the reference row. */
function oldCheck(text: string, root: string): boolean {
  return new RegExp(`(?:</(?:[\\w.-]+:)?${root}>|<(?:[\\w.-]+:)?${root}\\b[^>]*/>)\\s*$`).test(text)
}

function time(fn: () => unknown): number {
  const t0 = performance.now()
  try {
    fn()
  } catch {
    // hostile bodies may fail to parse: only the time counts
  }
  return performance.now() - t0
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now()
  await fn()
  return performance.now() - t0
}

export const xmlFigure: Figure = {
  id: 'xml',
  title: 'hostile XML: completeness check, error bodies, whole parse',
  async run(): Promise<Row[]> {
    const rounds = QUICK ? 2 : 5
    const bodies = Object.entries(SHAPES).map(([name, make]) => [name, make(MiB)] as const)
    const check: Record<string, number[]> = {}
    const parse: Record<string, number[]> = {}
    const errors: number[] = []
    for (let r = 0; r < rounds + 1; r++) {
      for (const [name, body] of bodies) {
        const c = time(() => isCompleteXml(body, 'Error'))
        const p = time(() => parseXml(body, 'Error'))
        if (r === 0) continue // warm-up
        ;(check[name] ??= []).push(c)
        ;(parse[name] ??= []).push(p)
      }
      const worst = Math.max(...(await Promise.all(bodies.map(([, b]) => timeAsync(() => errorFromResponse(new Response(b, { status: 403 }), { method: 'GET' }, '/b/k'))))))
      if (r > 0) errors.push(worst)
    }
    const worstOf = (m: Record<string, number[]>) => Object.entries(m).map(([name, xs]) => [name, median(xs)] as const).sort((a, b) => b[1] - a[1])[0]!
    const [checkShape, checkMs] = worstOf(check)
    const [parseShape, parseMs] = worstOf(parse)
    const errorMs = median(errors)
    const refBytes = QUICK ? 16 * 1024 : 64 * 1024
    const refMs = time(() => oldCheck(SHAPES['many <Error, closed']!(refBytes), 'Error'))
    const ms = (x: number) => `${x.toFixed(2)} ms`
    return [
      { figure: 'isCompleteXml, 1 MiB hostile XML (worst shape)', ours: ms(checkMs), reference: '', target: '< 50 ms', pass: checkMs < 50, details: { worstShape: checkShape, medians: Object.fromEntries(Object.entries(check).map(([k, v]) => [k, median(v)])) } },
      { figure: 'errorFromResponse, 1 MiB hostile error body (worst shape)', ours: ms(errorMs), reference: '', target: '< 50 ms', pass: errorMs < 50, details: { rounds: errors } },
      { figure: 'parseXml whole parse, 1 MiB hostile XML (worst shape)', ours: ms(parseMs), reference: '', target: 'info', details: { worstShape: parseShape, medians: Object.fromEntries(Object.entries(parse).map(([k, v]) => [k, median(v)])) } },
      { figure: `old completeness check, ${refBytes / 1024} KiB of <Error`, ours: ms(refMs), reference: '', target: 'info (quadratic)' },
    ]
  },
}
