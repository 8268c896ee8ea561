/**
 * Incremental MD5 over bytes, Blobs and streams. Web Crypto has no MD5: the web builds use the WebAssembly MD5
 * (src/core/md5-wasm.ts, falling back to the JavaScript one of src/core/md5-js.ts), the `<script>` bundles the JavaScript one,
 * and the Node build (`nos-sdk` in Node, Bun and Deno, and `nos-sdk/node`) `node:crypto`. Factories may be
 * asynchronous, so that an implementation (spark-md5, the WebAssembly module) is loaded on first use rather than
 * when the SDK is imported.
 * @module
 */
import { defaultMd5 } from './md5-default.js'

/** An incremental MD5 hasher. */
export interface Md5Hasher {
  update(bytes: Uint8Array): void
  /** Lower-case hex digest; the hasher cannot be used afterwards. */
  digestHex(): string
}

/**
 * Makes a fresh hasher, synchronously or not (0.x change: factories may return a promise, and the SDK's own
 * `createSparkMd5` and `createWasmMd5` do, because they load their code on first use).
 */
export type Md5Factory = () => Md5Hasher | Promise<Md5Hasher>

/**
 * spark-md5, loaded on first use (the SDK's default MD5s are faster or smaller; this one stays for callers who chose it).
 * @example
 * const h = await createSparkMd5(); h.update(new TextEncoder().encode('hello')); h.digestHex() // '5d41402abc4b2a76b9719d911017c592'
 */
export async function createSparkMd5(): Promise<Md5Hasher> {
  const m = (await import('spark-md5')) as unknown as { default?: typeof import('spark-md5') } & typeof import('spark-md5')
  const spark = new (m.default ?? m).ArrayBuffer()
  return {
    // spark-md5 copies what it is given (it concatenates into its own buffer), so a view is fine.
    update: (bytes) => void spark.append(bytes as unknown as ArrayBuffer),
    digestHex: () => spark.end(),
  }
}

/** Read a Blob in slices of this size while hashing (bounded memory). */
const BLOB_SLICE = 4 * 1024 * 1024

/**
 * Hex MD5 of bytes, a Blob, or a ReadableStream (consumed).
 * @example
 * await md5Hex(new Blob(['hello'])) // '5d41402abc4b2a76b9719d911017c592'
 */
export async function md5Hex(
  input: Uint8Array | Blob | ReadableStream<Uint8Array> | Uint8Array[],
  factory: Md5Factory = defaultMd5,
): Promise<string> {
  const h = await factory()
  if (input instanceof Uint8Array) h.update(input)
  else if (Array.isArray(input)) for (const c of input) h.update(c)
  else if (typeof Blob !== 'undefined' && input instanceof Blob) {
    for (let off = 0; off < input.size; off += BLOB_SLICE) {
      h.update(new Uint8Array(await input.slice(off, off + BLOB_SLICE).arrayBuffer()))
    }
  } else {
    const reader = (input as ReadableStream<Uint8Array>).getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      h.update(value)
    }
  }
  return h.digestHex()
}
