/**
 * Deterministic fault injection: per-rule counters for `nth` and a seeded mulberry32 PRNG for `probability`,
 * so a test that sends the same requests in the same order sees the same faults.
 * @module
 */
import type { FaultConfig, FaultRule, OpName } from './types.js'

/**
 * mulberry32: a tiny, fast, seedable PRNG (public domain, Tommy Ettinger). Returns floats in [0, 1).
 *
 * @example
 * const rnd = mulberry32(1); rnd() === mulberry32(1)() // true
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** What a fault is matched against. */
export interface FaultTarget {
  method: string
  op: OpName
  bucket?: string | undefined
  key?: string | undefined
}

/** Holds the rules, their counters and the PRNG. */
export class FaultInjector {
  private rules: FaultRule[] = []
  private counts: number[] = []
  private random: () => number = mulberry32(1)

  constructor(config?: FaultConfig) {
    this.set(config)
  }

  /** Replaces the rules and resets counters and the PRNG. */
  set(config: FaultConfig | undefined): void {
    this.rules = config?.rules ? [...config.rules] : []
    this.counts = this.rules.map(() => 0)
    this.random = mulberry32(config?.seed ?? 1)
  }

  /** The fault to apply to this request, if any. Every rule's counter advances on every matching request. */
  pick(target: FaultTarget): FaultRule | undefined {
    let chosen: FaultRule | undefined
    this.rules.forEach((rule, i) => {
      const m = rule.match ?? {}
      if (m.method && m.method.toUpperCase() !== target.method.toUpperCase()) return
      if (m.op && !(Array.isArray(m.op) ? m.op : [m.op]).includes(target.op)) return
      if (m.bucket !== undefined && m.bucket !== target.bucket) return
      if (m.keyPrefix !== undefined && !(target.key ?? '').startsWith(m.keyPrefix)) return
      const n = ++this.counts[i]!
      let fires = !m.nth || m.nth.includes(n)
      // Draw only for matching requests so unrelated traffic does not shift the sequence.
      if (m.probability !== undefined) fires = this.random() < m.probability && fires
      if (fires && !chosen) chosen = rule
    })
    return chosen
  }
}
