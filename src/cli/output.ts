/**
 * Everything `nos` prints: result lines for people on stdout (silenced by `--quiet`, replaced by `--json`), one
 * JSON document on stdout with `--json`, warnings and errors on stderr as `nos: <message>`. Every line is
 * escaped (escape.ts: control characters of keys never reach the terminal raw) and has secrets masked.
 * @module
 */
import { scrub } from './errors.js'
import { escapeText, jsonText } from './escape.js'
import { stdoutClosed } from './pipes.js'

/** How a command prints. */
export interface OutputOptions {
  json: boolean
  quiet: boolean
  /** Values masked wherever they would appear (the access key secret). */
  secrets: readonly string[]
}

type Writable = { write(chunk: string): unknown; isTTY?: boolean }

/** The printer of one command run. */
export class Output {
  /** While a progress display owns the terminal, lines go through it (set by progress.ts). */
  divert: ((line: string) => void) | undefined

  constructor(
    readonly options: OutputOptions,
    readonly stdout: Writable = process.stdout,
    readonly stderr: Writable = process.stderr,
  ) {}

  get json(): boolean {
    return this.options.json
  }

  get quiet(): boolean {
    return this.options.quiet
  }

  /** Text as printed: secrets masked, control characters escaped. */
  safe(text: string): string {
    return escapeText(scrub(text, this.options.secrets))
  }

  #write(stream: Writable, text: string): void {
    if (stream === process.stdout && stdoutClosed()) return
    stream.write(text)
  }

  /** A result line for people; nothing with `--json` or `--quiet`. */
  line(text: string): void {
    if (this.options.json || this.options.quiet) return
    const safe = this.safe(text)
    if (this.divert && this.stdout.isTTY) this.divert(safe)
    else this.#write(this.stdout, `${safe}\n`)
  }

  /** Several result lines. */
  lines(texts: Iterable<string>): void {
    for (const t of texts) this.line(t)
  }

  /** Raw output that is the command's product (a presigned URL, a listing): printed even with `--quiet`. */
  result(text: string): void {
    if (this.options.json) return
    this.#write(this.stdout, `${this.safe(text)}\n`)
  }

  /** Several product lines. */
  results(texts: Iterable<string>): void {
    for (const t of texts) this.result(t)
  }

  /** The single JSON document of `--json` (indented, one per run). */
  document(doc: unknown): void {
    if (!this.options.json) return
    this.#write(this.stdout, `${scrub(jsonText(doc), this.options.secrets)}\n`)
  }

  /** `nos: warning: ...` on stderr, unless `--quiet`. */
  warn(text: string): void {
    if (this.options.quiet) return
    this.#write(this.stderr, `nos: warning: ${this.safe(text)}\n`)
  }

  /** `nos: ...` on stderr (errors are never silenced). */
  error(text: string): void {
    this.#write(this.stderr, `nos: ${this.safe(text)}\n`)
  }
}

/** Left-pads columns so that a table lines up. */
export function columns(rows: string[][], rightAligned: number[] = []): string[] {
  const widths: number[] = []
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)))
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : rightAligned.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  '),
  )
}
