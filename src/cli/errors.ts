/**
 * Exit codes of `nos` and the one place that turns any error into a code and a `nos: <message>` line.
 * @module
 */
import { isNosErrorKind, isNosException, isServiceException, isClientException, type NOSException } from '../node.js'

/** Exit codes a script can rely on (documented in `nos --help`). */
export const EXIT = {
  OK: 0,
  /** NOS answered with an error (`ServiceException`). */
  SERVICE: 1,
  /** Bad flags, bad `nos://` URI, missing local source. */
  USAGE: 2,
  /** Client-side, network or local I/O error (`ClientException` and the rest). */
  CLIENT: 3,
  /** SIGINT / SIGTERM. */
  INTERRUPTED: 130,
} as const

/** Text of the "Exit codes" section of `nos --help`. */
export const EXIT_CODES_HELP = `Exit codes:
  0    success
  1    NOS service error (the message carries the NOS error code and request id), or some items of a
       batch (recursive cp/mv/rm, sync, several sources) failed: each is listed at the end
  2    usage error: bad flags, bad nos:// URI, missing local source
  3    client-side error: network failure, unreachable endpoint, local I/O
  130  interrupted (SIGINT/SIGTERM); an interrupted cp/mv/sync of files resumes when run again`

/** A mistake in the command line: exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/** One failed item of a batch: what it was about and why it failed. */
export interface Failure {
  subject: string
  error: unknown
}

/** Some items of a batch failed (exit code 1); they were listed on stderr (batch.ts). */
export class BatchError extends Error {
  override readonly name = 'BatchError'
  constructor(
    readonly failures: readonly Failure[],
    readonly total: number,
  ) {
    super(`${failures.length} of ${total} failed`)
  }
}

/** The command was stopped by SIGINT/SIGTERM: exit code 130. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError'
}

/** The exit code for an error. `interrupted` wins: whatever an abort made a request throw is exit 130. */
export function exitCodeOf(e: unknown, interrupted = false): number {
  if (interrupted || e instanceof InterruptedError) return EXIT.INTERRUPTED
  if (e instanceof UsageError) return EXIT.USAGE
  // Names the user typed that NOS cannot take (checked by the SDK before any request).
  if (isNosErrorKind(e, 'InvalidBucketName') || isNosErrorKind(e, 'InvalidObjectName')) return EXIT.USAGE
  if (e instanceof BatchError || isServiceException(e)) return EXIT.SERVICE
  if (isClientException(e)) return EXIT.CLIENT
  return EXIT.CLIENT
}

function serviceSuffix(e: NOSException): string {
  const bits: string[] = []
  if (e.errorCode) bits.push(`code ${e.errorCode}`)
  if (e.requestId) bits.push(`request id ${e.requestId}`)
  return bits.length ? ` [${bits.join(', ')}]` : ''
}

/** The message shown after `nos: `, with every secret in `secrets` masked (docs/architecture.md#no-secret-in-a-message). */
export function describeError(e: unknown, secrets: readonly string[] = []): string {
  let msg: string
  if (isNosException(e)) {
    const err: NOSException = e
    msg = err.message + (isServiceException(err) ? serviceSuffix(err) : rootCause(e, e.message))
  } else if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code
    msg = code && !e.message.includes(code) ? `${e.message} (${code})` : e.message
  } else {
    msg = String(typeof e === 'symbol' ? e.description : e)
  }
  return scrub(msg, secrets)
}

/** ` (<innermost cause>)` when it adds something (`fetch failed` -> `connect ECONNREFUSED 127.0.0.1:1`). */
function rootCause(e: Error, shown: string): string {
  let c: unknown = e.cause
  let last: Error | undefined
  for (let i = 0; i < 8 && c instanceof Error; i++) {
    last = c
    c = c.cause ?? (c instanceof AggregateError ? c.errors[0] : undefined)
  }
  if (!last) return ''
  const code = (last as NodeJS.ErrnoException).code
  const text = last.message || code || ''
  return text && !shown.includes(text) ? ` (${text})` : ''
}

/** Adds the object or file a failure is about to its message (`nos://b/k: HEAD ... 404`). */
export function annotate(e: unknown, subject: string): unknown {
  if (e instanceof Error && !e.message.includes(subject) && !(e instanceof UsageError)) {
    const notFound = isNosException(e) && e.statusCode === 404 && !e.errorCode
    e.message = `${subject}: ${notFound ? 'not found: ' : ''}${e.message}`
  }
  return e
}

/** Replaces each secret in `text` with `<redacted>`. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('<redacted>')
  return out
}

/** JSON form of an error for `--json` (no secrets: the message is scrubbed). */
export function errorJson(e: unknown, exitCode: number, secrets: readonly string[] = []): Record<string, unknown> {
  const doc: Record<string, unknown> = { message: describeError(e, secrets), exitCode }
  if (e instanceof Error && e.name !== 'Error') doc['kind'] = e.name
  if (e instanceof BatchError) doc['failed'] = e.failures.length
  if (isNosException(e)) {
    doc['kind'] = e.name
    if (e.errorCode) doc['code'] = e.errorCode
    if (e.statusCode) doc['statusCode'] = e.statusCode
    if (e.requestId) doc['requestId'] = e.requestId
  }
  return { error: doc }
}
