/**
 * Request bodies: every accepted input type normalised to something that can be sent (and re-sent on retry).
 * Accepted bodies (docs/architecture.md#streams-in-streams-out): string | Uint8Array | ArrayBuffer | Blob | ReadableStream | AsyncIterable | object (JSON).
 * @module
 */
import { FileOpenModeError, SerializationError } from './errors.js'
import { md5Hex, type Md5Factory } from './md5.js'
import { utf8 } from './encoding.js'

/** Anything `putObject`/`uploadPart` accept as a body. Plain objects and arrays are sent as JSON, as in the seed. */
export type BodyInput =
  | string
  | Uint8Array
  | ArrayBuffer
  | ArrayBufferView
  | Blob
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>
  | Record<string, unknown>
  | unknown[]
  | null
  | undefined

/** A body ready to send. */
export interface PreparedBody {
  /** Byte length when known. */
  readonly size: number | undefined
  /** Content-Type implied by the input (JSON, a File's type), if any. */
  readonly contentType: string | undefined
  /** Can be sent more than once (retries, MD5 before sending). */
  readonly replayable: boolean
  /** A fresh body for one attempt. A non-replayable body can be opened once. */
  open(streamSlices: boolean): BodyInit | null
  /** Hex MD5 of the body (replayable bodies only). */
  md5?(factory: Md5Factory): Promise<string>
}

/** Slice size for streamed byte bodies (measured: 1 MiB slices run Node's fetch at full speed). */
export const STREAM_SLICE = 1024 * 1024

/** Bodies above this size are streamed in slices when the runtime can stream request bodies. */
const STREAM_THRESHOLD = 1024 * 1024

/** Called with the bytes of this attempt pulled by fetch so far (0 when an attempt starts). */
export type SentCallback = (sent: number) => void

function slicesStream(chunks: readonly Uint8Array[], onSent?: SentCallback): ReadableStream<Uint8Array> {
  let i = 0
  let off = 0
  let sent = 0
  onSent?.(0)
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (onSent && sent > 0) onSent(sent)
      while (i < chunks.length && off >= chunks[i]!.length) {
        i++
        off = 0
      }
      if (i >= chunks.length) return controller.close()
      const c = chunks[i]!
      const end = Math.min(c.length, off + STREAM_SLICE)
      controller.enqueue(c.subarray(off, end))
      sent += end - off
      off = end
    },
  }, { highWaterMark: 0 })
}

/**
 * A body made of byte chunks held in memory. `onSent` reports the bytes fetch has pulled when the body is streamed
 * (byte-level progress); a slice counts once the next one is asked for, i.e. once it has gone to the socket.
 */
export function bytesBody(chunks: readonly Uint8Array[], contentType?: string, onSent?: SentCallback): PreparedBody {
  const size = chunks.reduce((n, c) => n + c.length, 0)
  return {
    size,
    contentType,
    replayable: true,
    open(streamSlices) {
      if (streamSlices && (size > STREAM_THRESHOLD || (onSent && size > 0))) return slicesStream(chunks, onSent)
      if (chunks.length === 1) return chunks[0]! as BodyInit
      if (chunks.length === 0) return new Uint8Array(0) as BodyInit
      const all = new Uint8Array(size)
      let off = 0
      for (const c of chunks) {
        all.set(c, off)
        off += c.length
      }
      return all as BodyInit
    },
    md5: (factory) => md5Hex(chunks as Uint8Array[], factory),
  }
}

function blobBody(blob: Blob): PreparedBody {
  return {
    size: blob.size,
    contentType: blob.type || undefined,
    replayable: true,
    open: () => blob,
    md5: (factory) => md5Hex(blob, factory),
  }
}

function streamBody(stream: ReadableStream<Uint8Array>, size: number | undefined): PreparedBody {
  let opened = false
  return {
    size,
    contentType: undefined,
    replayable: false,
    open() {
      if (opened) throw new FileOpenModeError('a stream body can be sent only once (it was already consumed)')
      opened = true
      return stream
    },
  }
}

/** Wraps an async iterable (e.g. a Node `Readable`) in a web stream, pulling one chunk at a time. */
export function iterableToStream(it: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = it[Symbol.asyncIterator]()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await iterator.next()
      if (done) controller.close()
      else controller.enqueue(typeof value === 'string' ? utf8(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength))
    },
    cancel(reason) {
      // A Node Readable's iterator queues return() behind a pending next(), which a source left open (stdin with the
      // producer still running) never settles: an upload cancelled while it waits for its next part would hang. The
      // stream is destroyed itself where it can be (which ends the pending read), and return() is not waited for.
      const destroy = (it as { destroy?: () => void }).destroy
      if (typeof destroy === 'function') destroy.call(it)
      void Promise.resolve(iterator.return?.(reason)).catch(() => {})
    },
  }, { highWaterMark: 0 })
}

function isPlainJson(value: object): boolean {
  if (Array.isArray(value)) return true
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** Describes a value for an error message without printing it. */
export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value !== 'object') return typeof value
  return (value as object).constructor?.name ?? 'object'
}

/**
 * Normalises a body. `size` is a caller-declared length for streams.
 * @example
 * prepareBody('hello').size // 5
 */
export function prepareBody(input: BodyInput, size?: number, onSent?: SentCallback): PreparedBody {
  if (input === undefined || input === null) return bytesBody([])
  if (typeof input === 'string') return bytesBody([utf8(input)])
  if (input instanceof Uint8Array) return bytesBody([input], undefined, onSent)
  if (input instanceof ArrayBuffer) return bytesBody([new Uint8Array(input)])
  if (ArrayBuffer.isView(input)) return bytesBody([new Uint8Array(input.buffer, input.byteOffset, input.byteLength)])
  if (typeof Blob !== 'undefined' && input instanceof Blob) return blobBody(input)
  if (typeof ReadableStream !== 'undefined' && input instanceof ReadableStream) return streamBody(input, size)
  if (typeof input === 'object' && typeof (input as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
    return streamBody(iterableToStream(input as AsyncIterable<Uint8Array>), size)
  }
  if (typeof input === 'object' && isPlainJson(input)) {
    let json: string
    try {
      json = JSON.stringify(input)
    } catch (e) {
      throw new SerializationError(`body could not be serialised to JSON: ${String((e as Error).message ?? e)}`, { cause: e })
    }
    return bytesBody([utf8(json)], 'application/json')
  }
  throw new FileOpenModeError(
    `body of type ${describe(input)} is not supported: use a string, Uint8Array, ArrayBuffer, Blob/File, ` +
      'ReadableStream, an async iterable of bytes, or a plain object/array (sent as JSON)',
  )
}

/**
 * Reads a non-replayable body into memory, at most `limit` bytes (throws `tooLarge()` beyond). Used where the
 * protocol needs a length or an MD5 and the caller gave a stream of unknown length.
 */
export async function bufferBody(body: PreparedBody, limit: number, tooLarge: () => Error): Promise<PreparedBody> {
  if (body.replayable) return body
  const stream = body.open(false) as ReadableStream<Uint8Array>
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.length
    if (total > limit) {
      await reader.cancel()
      throw tooLarge()
    }
    chunks.push(value)
  }
  return bytesBody(chunks, body.contentType)
}
