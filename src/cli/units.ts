/**
 * Parsing and printing of sizes, durations and counts given on the command line. Parse errors are `UsageError`s
 * (exit code 2) that name the flag.
 * @module
 */
import { UsageError } from './errors.js'

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
}

/**
 * A byte size: `1048576`, `256KiB`, `8MiB`, `1.5M`, `1G` (K/M/G are powers of 1024, as in every storage tool).
 * @example parseSize('256KiB') // 262144
 */
export function parseSize(text: string, flag = 'size'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text)
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined
  if (!m || unit === undefined) throw new UsageError(`${flag}: not a size: ${JSON.stringify(text)} (e.g. 262144, 256KiB, 8MiB)`)
  const n = Math.round(Number(m[1]) * unit)
  if (!Number.isSafeInteger(n)) throw new UsageError(`${flag}: size too large: ${JSON.stringify(text)}`)
  return n
}

const DURATION_UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400, w: 604800 }

/**
 * A duration in whole seconds: `30s`, `15m`, `1h`, `7d`, `1w` or plain seconds (`3600`).
 * @example parseDuration('15m') // 900
 */
export function parseDuration(text: string, flag = 'duration'): number {
  const m = /^\s*(\d+)\s*([smhdw]?)\s*$/i.exec(text)
  const unit = m ? DURATION_UNITS[m[2]!.toLowerCase()] : undefined
  if (!m || unit === undefined) throw new UsageError(`${flag}: not a duration: ${JSON.stringify(text)} (e.g. 30s, 15m, 1h, 7d or seconds)`)
  const n = Number(m[1]) * unit
  if (n <= 0) throw new UsageError(`${flag}: must be positive, got ${JSON.stringify(text)}`)
  return n
}

/** A whole number within bounds (for `--concurrency`, `--jobs`, `--port`). */
export function parseIntIn(text: string, flag: string, min: number, max: number): number {
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`)
  return n
}

const IEC = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']

/**
 * A size for people: `512 B`, `1.0 KiB`, `12.3 MiB` (powers of 1024).
 * @example humanSize(1536) // '1.5 KiB'
 */
export function humanSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${Math.max(0, Math.round(bytes || 0))} B`
  let v = bytes
  let i = 0
  while (v >= 1024 && i < IEC.length - 1) {
    v /= 1024
    i++
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${IEC[i]}`
}

/** A date as `2024-05-01 12:00:00` in UTC (stable across machines, sortable). */
export function formatDate(d: Date): string {
  return Number.isNaN(d.getTime()) ? '-'.padEnd(19) : d.toISOString().replace('T', ' ').slice(0, 19)
}

/** A duration in seconds for people: `45s`, `3m 05s`, `1h 02m`. */
export function humanDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--'
  const s = Math.round(seconds)
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
}
