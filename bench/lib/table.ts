/** The results table: one row per claim (run.ts prints it; render-readme.ts writes it into README.md). */
import type { Row } from './types.js'

/** `0.95x`, and its spread over the rounds as `0.91-0.99 (5)`. */
export function fmtRatio(r: Row): [string, string] {
  if (r.ratio === undefined) return ['', '']
  return [`${r.ratio.toFixed(2)}x`, r.spread ? `${r.spread.min.toFixed(2)}-${r.spread.max.toFixed(2)} (${r.spread.rounds})` : '']
}

export function table(rows: Row[]): string {
  const cells = rows.map((r) => [
    r.figure,
    r.ours,
    r.reference,
    ...fmtRatio(r),
    r.target,
    r.pass === undefined ? 'info' : r.pass ? 'PASS' : 'FAIL',
    r.load ? `${r.load[0].toFixed(1)}-${r.load[1].toFixed(1)}` : '',
  ])
  const head = ['figure', 'ours', 'reference', 'ratio', 'spread (rounds)', 'target', 'result', 'load']
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n')
}
