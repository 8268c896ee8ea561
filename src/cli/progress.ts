/**
 * Progress bars (cli-progress) on stderr with bytes, rate and ETA: one bar per transfer in flight plus a total
 * bar when several files move, or the total bar alone (sync). Shown when stderr is a TTY or with `--progress`;
 * never with `--quiet`.
 * @module
 */
import cliProgress from 'cli-progress'
import type { Output } from './output.js'
import { humanDuration, humanSize } from './units.js'

/** Progress of one transfer. */
export interface TransferBar {
  /** Bytes done so far (may start above 0 when a transfer resumes). */
  update(loaded: number, total?: number): void
  /** The transfer finished (or failed): its bar goes away. */
  done(): void
}

const NOOP_BAR: TransferBar = { update() {}, done() {} }

/** Tracks rate and ETA from the bytes moved in this session (a resumed transfer starts at its old offset). */
class Meter {
  readonly #start = Date.now()
  #base: number | undefined
  payload(name: string, loaded: number, total: number): Record<string, string> {
    this.#base ??= loaded
    const secs = (Date.now() - this.#start) / 1000
    // Early rates are noise; at the end the average over the whole transfer is shown.
    const rate = secs > 0.2 || (secs > 0 && loaded >= total) ? (loaded - this.#base) / secs : 0
    const eta = rate > 0 ? (total - loaded) / rate : NaN
    return { name, done: humanSize(loaded), size: humanSize(total), rate: rate > 0 ? `${humanSize(rate)}/s` : '--/s', etaText: humanDuration(eta) }
  }
}

/** Shortens a name for a bar label, keeping its end (the file name). */
function label(name: string, width = 32): string {
  return name.length <= width ? name.padEnd(width) : `…${name.slice(name.length - width + 1)}`
}

/** The progress display of one command; `Progress.disabled` does nothing. */
export class Progress {
  static readonly disabled = new Progress(undefined)

  #multi: cliProgress.MultiBar | undefined
  #total: { bar: cliProgress.SingleBar; name: string; meter: Meter; bytes: number; loaded: Map<object, number> } | undefined
  #out: Output | undefined
  #tty = false
  #totalOnly = false

  private constructor(multi: cliProgress.MultiBar | undefined) {
    this.#multi = multi
  }

  /**
   * A display on `stream` when `wanted` (undefined: when `stream` is a TTY) and not `--quiet`.
   * `totalBytes` adds a total bar (use it for more than one file).
   */
  static create(out: Output, wanted: boolean | undefined, stream: NodeJS.WriteStream = process.stderr, o: { totalOnly?: boolean } = {}): Progress {
    const enabled = !out.quiet && (wanted ?? stream.isTTY === true)
    if (!enabled) return Progress.disabled
    const multi = new cliProgress.MultiBar({
      stream,
      format: '{name} [{bar}] {percentage}% | {done}/{size} | {rate} | ETA {etaText}',
      barsize: 24,
      hideCursor: true,
      clearOnComplete: false,
      noTTYOutput: true,
      notTTYSchedule: 500,
      fps: 8,
      // Our own SIGINT handling stops the display (see stop()); cli-progress must not add listeners.
      gracefulExit: false,
      emptyOnZero: true,
    })
    const p = new Progress(multi)
    p.#totalOnly = o.totalOnly ?? false
    p.#out = out
    p.#tty = stream.isTTY === true
    out.divert = (line) => multi.log(`${line}\n`)
    return p
  }

  get enabled(): boolean {
    return this.#multi !== undefined
  }

  /** Adds a total bar over `bytes` (call once, before the transfers start). */
  setTotal(bytes: number, files: number): void {
    if (!this.#multi || this.#total) return
    const meter = new Meter()
    const name = label(`total (${files} files)`)
    const bar = this.#multi.create(bytes, 0, meter.payload(name, 0, bytes))
    this.#total = { bar, name, meter, bytes, loaded: new Map() }
  }

  /** A bar for one transfer of `total` bytes (undefined: unknown yet); with `totalOnly` it feeds the total only. */
  start(name: string, total: number | undefined): TransferBar {
    const multi = this.#multi
    if (!multi) return NOOP_BAR
    if (this.#totalOnly && this.#total) return this.#feedTotal()
    const meter = new Meter()
    const shown = label(name)
    const bar = multi.create(total ?? 0, 0, meter.payload(shown, 0, total ?? 0))
    const token = {}
    let size = total ?? 0
    let finished = false
    return {
      update: (loaded, t) => {
        if (finished) return
        if (t !== undefined && t !== size) {
          size = t
          bar.setTotal(t)
        }
        bar.update(loaded, meter.payload(shown, loaded, size))
        this.#addToTotal(token, loaded)
      },
      done: () => {
        if (finished) return
        finished = true
        // With a total bar (several files) finished bars make room for the next ones; a single bar stays and
        // shows its final state when the display stops.
        if (this.#total) multi.remove(bar)
      },
    }
  }

  /** A transfer without a bar of its own: its bytes count in the total bar. */
  #feedTotal(): TransferBar {
    const token = {}
    return {
      update: (loaded) => this.#addToTotal(token, loaded),
      done: () => {},
    }
  }

  #addToTotal(token: object, loaded: number): void {
    const tot = this.#total
    if (!tot) return
    tot.loaded.set(token, loaded)
    let sum = 0
    for (const v of tot.loaded.values()) sum += v
    tot.bar.update(sum, tot.meter.payload(tot.name, sum, tot.bytes))
  }

  /** Stops the display (final render, cursor restored); result lines logged meanwhile are flushed first. */
  stop(): void {
    const multi = this.#multi
    if (!multi) return
    this.#multi = undefined
    if (this.#out) this.#out.divert = undefined
    // A TTY redraw flushes result lines logged meanwhile; elsewhere stop() alone prints the final state once.
    if (this.#tty) multi.update()
    multi.stop()
  }
}
