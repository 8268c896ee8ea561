/**
 * Ratios that hold up on a shared machine: ours and the reference are measured in the same round, back
 * to back (the order rotating), and the ratio reported is the median of the per-round ratios with its min and max.
 */
import { median } from './stats.js'
import type { Row } from './types.js'

/** Per-round ratios of how much faster ours is: reference time / our time, round by round. */
export function perRound(oursMs: readonly number[], refMs: readonly number[]): number[] {
  if (oursMs.length !== refMs.length) throw new Error(`rounds differ: ${oursMs.length} vs ${refMs.length}`)
  return oursMs.map((ms, i) => refMs[i]! / ms)
}

/** Median, min and max of per-round ratios. */
export function spreadOf(ratios: readonly number[]): { ratio: number; spread: NonNullable<Row['spread']> } {
  return { ratio: median([...ratios]), spread: { min: Math.min(...ratios), max: Math.max(...ratios), rounds: ratios.length } }
}

export interface PairInput {
  figure: string
  /** Wall times of ours and of the reference, one per round, measured in the same rounds. */
  oursMs: number[]
  refMs: number[]
  /** How to show a time: e.g. MB/s of `bytes`, or requests per second. */
  show: (ms: number) => string
  refLabel?: string
  /** Lowest acceptable median ratio; undefined: informational. */
  min?: number | undefined
  /** Why a miss happens and what would close it (rendered into README.md by render-readme.ts when the row fails). */
  why?: string
  details?: Record<string, unknown>
}

/** A table row for one pair: medians of each side, median per-round ratio with its spread, pass when >= min. */
export function pairRow(p: PairInput): Row {
  const { ratio, spread } = spreadOf(perRound(p.oursMs, p.refMs))
  return {
    figure: p.figure,
    ours: p.show(median(p.oursMs)),
    reference: `${p.refLabel ? p.refLabel + ' ' : ''}${p.show(median(p.refMs))}`,
    ratio,
    spread,
    target: p.min === undefined ? 'info' : `>= ${p.min}x`,
    pass: p.min === undefined ? undefined : ratio >= p.min,
    details: { oursMs: p.oursMs.map(Math.round), refMs: p.refMs.map(Math.round), ...(p.why ? { why: p.why } : {}), ...p.details },
  }
}

/**
 * Runs `variants` for `rounds` rounds; returns each variant's times. Variants listed next to each other run next to
 * each other (put the two sides of a pair side by side), and every round reverses the order, so that neither side
 * of a pair always runs first, right after the same neighbour.
 */
export async function interleaved(variants: Record<string, () => Promise<unknown>>, rounds: number, onRound?: (r: number, ms: Record<string, number[]>) => void): Promise<Record<string, number[]>> {
  const names = Object.keys(variants)
  const ms: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]))
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[r % 2 ? names.length - 1 - i : i]!
      const t0 = performance.now()
      await variants[name]!()
      ms[name]!.push(performance.now() - t0)
    }
    onRound?.(r, ms)
  }
  return ms
}
