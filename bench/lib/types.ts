/** What a figure reports: one table row per measured claim. */
export interface Row {
  /** Stable id, e.g. `upload-256MiB`. */
  figure: string
  /** Our measurement, human-readable (e.g. `412 MB/s`). */
  ours: string
  /** The reference measurement, or '' when the target is absolute. */
  reference: string
  /** ours / reference when the target is a ratio (higher is better unless `lowerIsBetter`): the median of the ratios of
   * the rounds (each round measures both, back to back), robust to a neighbour's load drifting over the run. */
  ratio?: number | undefined
  /** The ratio's spread over the rounds: lowest and highest per-round ratio, and how many rounds. */
  spread?: { min: number; max: number; rounds: number } | undefined
  /** 1-minute load average when the figure started and ended (the machine is shared). Filled in by run.ts. */
  load?: [number, number] | undefined
  /** The target in words (e.g. `>= 0.9x`, `<= 30 ms`); `info` for rows without a target. */
  target: string
  /** undefined: informational. */
  pass?: boolean | undefined
  /** Raw numbers for results.json (per-round values, settings, notes). */
  details?: Record<string, unknown>
}

export interface Figure {
  id: string
  title: string
  run(): Promise<Row[]>
}
