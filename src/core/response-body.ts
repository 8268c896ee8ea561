/**
 * Reading a response body that is buffered whole (an XML result, an error document): at most `limit` bytes, within
 * the attempt's timeout, abortable. A hostile or broken server (the default endpoint is plain http) could otherwise
 * send an endless body and grow memory without bound, or dribble one forever.
 * @module
 */
import type { NosConfig } from './config.js'
import { ConnectionError, ConnectionTimeout, XmlParseError } from './errors.js'
import { linkSignals } from './signals.js'
import { loadXmlParser } from './xml.js'

/**
 * Bytes of an error body kept (the rest is cancelled). NOS error documents are a few hundred bytes; the longest the
 * emulator writes (SignatureDoesNotMatch with the string-to-sign of a 1000-byte key) stays under 16 KiB, and a
 * document cut short still yields its `<Code>` (docs/protocol.md#errors).
 */
export const MAX_ERROR_BODY_BYTES = 16 * 1024

/**
 * Largest XML result buffered: 16 MiB. The largest NOS sends is a page of 1000 entries (listings, multi-delete
 * results) whose keys are 1000 UTF-8 bytes each, every byte escaped as an XML reference of at most 6 characters,
 * under 7 MB.
 */
export const MAX_XML_BODY_BYTES = 16 * 1024 * 1024

/** How to read a body. */
export interface ReadBodyOptions {
  /** Most bytes buffered. */
  limit: number
  /** Keep the first `limit` bytes of a longer body instead of failing (error documents). */
  truncate?: boolean | undefined
  /** ms for the whole body; 0 or undefined: no limit. */
  timeout?: number | undefined
  signal?: AbortSignal | undefined
  /** For messages, e.g. `GET /bucket/`. */
  what?: string | undefined
}

/** A body read: its text, and whether it was cut at the limit. */
export interface BodyText {
  text: string
  truncated: boolean
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size)
  let at = 0
  for (const c of chunks) {
    out.set(c.subarray(0, size - at), at)
    at += Math.min(c.length, size - at)
  }
  return out
}

/**
 * A success response whose body is empty (`Content-Length: 0`: PUT, DELETE, copy...) gets `body === null`, so the
 * callers' `res.body?.cancel()` has nothing to do: cancelling a finished body still aborts its fetch, which in Node
 * builds a DOMException with a stack trace, ~30 us per request (measured with `--cpu-prof` over 1,000 small PUTs).
 * `text()`, `arrayBuffer()` and the headers are untouched.
 * @example const res = withoutEmptyBody(await fetch(url)); await res.body?.cancel() // no-op when empty
 */
export function withoutEmptyBody(res: Response): Response {
  if (res.body && res.headers.get('content-length') === '0') Object.defineProperty(res, 'body', { value: null, configurable: true })
  return res
}

/**
 * Reads a response body as UTF-8 text under a byte limit, a timeout and a signal. A longer body is an
 * `XmlParseError` (or cut, with `truncate`); a timeout is `ConnectionTimeout`; a broken connection
 * `ConnectionError`; an abort rejects with the signal's reason. Whatever is not read is cancelled.
 *
 * @example
 * const { text } = await readBodyText(res, { limit: MAX_XML_BODY_BYTES, timeout: 60_000, signal })
 */
export async function readBodyText(res: Response, opts: ReadBodyOptions): Promise<BodyText> {
  const what = opts.what ?? 'the response'
  opts.signal?.throwIfAborted()
  if (!res.body) return { text: '', truncated: false }
  const reader = res.body.getReader()
  let stop!: (reason: unknown) => void
  const stopped = new Promise<never>((_, reject) => (stop = reject))
  stopped.catch(() => {})
  const timer = opts.timeout ? setTimeout(() => stop(new ConnectionTimeout(`${what}: the body did not arrive within ${opts.timeout} ms`)), opts.timeout) : undefined
  // Through the shared fan-out (signals.ts): a caller's signal keeps one SDK listener however many calls share it.
  const link = opts.signal ? linkSignals([opts.signal]) : undefined
  link?.signal.addEventListener('abort', () => stop(opts.signal!.reason), { once: true })
  const chunks: Uint8Array[] = []
  let size = 0
  let truncated = false
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), stopped]).catch((e: unknown) => {
        if (e instanceof ConnectionTimeout || opts.signal?.aborted) throw e
        throw new ConnectionError(`${what}: the connection broke while reading the body: ${String(e)}`, { cause: e })
      })
      if (next.done) break
      chunks.push(next.value)
      size += next.value.length
      if (size > opts.limit) {
        if (!opts.truncate) throw new XmlParseError(`${what}: the body is longer than ${opts.limit} bytes, the most this SDK buffers`, { errorCode: 'ResponseTooLarge' })
        truncated = true
        break
      }
    }
  } catch (e) {
    reader.cancel().catch(() => {})
    throw e
  } finally {
    clearTimeout(timer)
    link?.dispose()
  }
  if (truncated) reader.cancel().catch(() => {})
  return { text: new TextDecoder().decode(concat(chunks, Math.min(size, opts.limit))), truncated }
}

/**
 * The fields of an error document cut at {@link MAX_ERROR_BODY_BYTES}, read one by one (`Code` comes first in
 * NOS's documents); throws when not even `<Code>` is complete.
 *
 * @example
 * truncatedErrorFields('<Error><Code>AccessDenied</Code><Message>aaaa') // { Code: 'AccessDenied' }
 */
export function truncatedErrorFields(xml: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of ['Code', 'Message', 'Resource', 'RequestId']) {
    const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)
    if (m) out[name] = m[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')
  }
  if (out['Code'] === undefined) throw new XmlParseError('no complete <Code> in the part of the error body read')
  return out
}

/**
 * The XML result of an operation, read under {@link MAX_XML_BODY_BYTES}, the client's timeout and the call's signal;
 * the XML parser is loaded meanwhile (on first use, xml.ts), so the caller may `parseXml` the text at once.
 *
 * @example
 * const xml = await readXmlBody(cfg, res, signal) // the body as text, checked to be whole
 */
export async function readXmlBody(cfg: NosConfig, res: Response, signal: AbortSignal | undefined): Promise<string> {
  const [body] = await Promise.all([
    readBodyText(res, { limit: MAX_XML_BODY_BYTES, timeout: cfg.timeout, signal, what: new URL(res.url || 'http://x/').pathname }),
    loadXmlParser(),
  ])
  return body.text
}
