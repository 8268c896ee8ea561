/**
 * Upload sources for managed transfers: random-access (bytes, Blob/File, files through `nos-sdk/node`), which allow
 * parallel parts and resume, and sequential (streams, async iterables) of known or unknown length.
 * @module
 */
import { describe, iterableToStream, type BodyInput } from '../core/body.js'
import { utf8 } from '../core/encoding.js'
import { FileOpenModeError } from '../core/errors.js'

/** A source whose bytes can be read at any offset. */
export interface RandomAccessSource {
  readonly kind: 'random'
  readonly size: number
  /** For fingerprints: a file name and modification time, when known. */
  readonly name?: string | undefined
  readonly lastModified?: number | undefined
  /** Bytes `[start, end)`; a Blob slice is returned as a Blob (sent without being read into memory). */
  read(start: number, end: number): Promise<Uint8Array | Blob>
  /** Releases resources (an open file). */
  close?(): Promise<void>
}

/** A source read front to back once. */
export interface SequentialSource {
  readonly kind: 'sequential'
  /** Total bytes when known (a stream with `contentLength`). */
  readonly size: number | undefined
  readonly stream: ReadableStream<Uint8Array>
}

export type UploadSource = RandomAccessSource | SequentialSource

/** Random access over bytes in memory. */
export function bytesSource(bytes: Uint8Array): RandomAccessSource {
  return { kind: 'random', size: bytes.length, read: async (s, e) => bytes.subarray(s, e) }
}

/** Random access over a Blob or File (slices are sent as Blobs: nothing is read into memory). */
export function blobSource(blob: Blob): RandomAccessSource {
  const file = blob as Blob & { name?: string; lastModified?: number }
  return { kind: 'random', size: blob.size, name: file.name, lastModified: file.lastModified, read: async (s, e) => blob.slice(s, e) }
}

/**
 * The Content-Type a body implies, as `putObject` reads it (body.ts `prepareBody`): a Blob's or File's own type,
 * `application/json` for an object sent as JSON, else none (the caller's `contentType`, or NOS's default).
 * @example
 * impliedContentType(new File(['<svg/>'], 'a.svg', { type: 'image/svg+xml' })) // 'image/svg+xml'
 */
export function impliedContentType(body: BodyInput | UploadSource): string | undefined {
  if (typeof Blob !== 'undefined' && body instanceof Blob) return body.type || undefined
  if (body === null || typeof body !== 'object' || isSource(body) || body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return undefined
  if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream) return undefined
  if (typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') return undefined
  return 'application/json'
}

function isSource(x: unknown): x is UploadSource {
  return typeof x === 'object' && x !== null && ((x as UploadSource).kind === 'random' || (x as UploadSource).kind === 'sequential') && !(x instanceof Uint8Array)
}

/**
 * Turns an upload body into a source. Plain objects are sent as JSON; `contentLength` gives a stream's size.
 * @example
 * toSource(new Uint8Array(10)).size // 10
 */
export function toSource(body: BodyInput | UploadSource, contentLength?: number): UploadSource {
  if (isSource(body)) return body
  if (typeof body === 'string') return bytesSource(utf8(body))
  if (body instanceof Uint8Array) return bytesSource(body)
  if (body instanceof ArrayBuffer) return bytesSource(new Uint8Array(body))
  if (ArrayBuffer.isView(body)) return bytesSource(new Uint8Array(body.buffer, body.byteOffset, body.byteLength))
  if (typeof Blob !== 'undefined' && body instanceof Blob) return blobSource(body)
  if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream) return { kind: 'sequential', size: contentLength, stream: body }
  if (body && typeof body === 'object' && typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
    return { kind: 'sequential', size: contentLength, stream: iterableToStream(body as AsyncIterable<Uint8Array>) }
  }
  if (body && typeof body === 'object') {
    try {
      return bytesSource(utf8(JSON.stringify(body)))
    } catch (e) {
      throw new FileOpenModeError(`body could not be serialised to JSON: ${String(e)}`, { cause: e })
    }
  }
  throw new FileOpenModeError(`upload body of type ${describe(body)} is not supported: use bytes, a string, a Blob/File, a stream or an async iterable`)
}
