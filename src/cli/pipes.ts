/**
 * When the reader of stdout goes away (`nos ls | head -1`), Node reports EPIPE as an 'error' event that, with
 * no listener, becomes an uncaught exception and a stack trace. `nos` listens instead:
 *
 * - commands whose output is their product (ls, cat, stat, presign, completion, help, `cp ... -`) stop at once
 *   with exit code 0, as `yes | head` does: the reader has what it wanted;
 * - commands that change things (cp, mv, sync, rm, mb, rb) finish their work: their per-file lines are a log,
 *   and a closed log must not leave a half-done sync or removal behind. Later lines are dropped.
 *
 * A closed stderr is ignored the same way (messages are dropped).
 * @module
 */

/** What happens when stdout closes; commands that change things call `keepWorkingWithoutStdout()`. */
const state = { stdoutClosed: false, exitOnClose: true }

/** True once the reader of stdout has gone away (writes are then dropped). */
export function stdoutClosed(): boolean {
  return state.stdoutClosed
}

/** This command changes things: finish the work when stdout closes (see the module comment). */
export function keepWorkingWithoutStdout(): void {
  state.exitOnClose = false
}

function isBrokenPipe(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ECONNRESET'
}

/** Installs the listeners on the process's stdout and stderr (the `nos` program only, not in-process tests). */
export function installPipeHandling(exit: (code: number) => void = (code) => process.exit(code)): void {
  process.stdout.on('error', (e) => {
    if (!isBrokenPipe(e)) throw e
    state.stdoutClosed = true
    if (state.exitOnClose) exit(0)
  })
  process.stderr.on('error', (e) => {
    if (!isBrokenPipe(e)) throw e
  })
}
