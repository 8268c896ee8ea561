/**
 * Incremental MD5 over bytes, Blobs and streams. Web Crypto has no MD5, so the portable default is spark-md5;
 * `nos-sdk/node` injects `node:crypto` (about 4x faster) through the client's `md5` option.
 * @module
 */
import SparkMD5 from 'spark-md5'

/** An incremental MD5 hasher. */
export interface Md5Hasher {
  update(bytes: Uint8Array): void
  /** Lower-case hex digest; the hasher cannot be used afterwards. */
  digestHex(): string
}

/** Makes a fresh hasher. */
export type Md5Factory = () => Md5Hasher

/**
 * The portable MD5 (spark-md5).
 * @example
 * const h = createSparkMd5(); h.update(new TextEncoder().encode('hello')); h.digestHex() // '5d41402abc4b2a76b9719d911017c592'
 */
export const createSparkMd5: Md5Factory = () => {
  const spark = new SparkMD5.ArrayBuffer()
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
  factory: Md5Factory = createSparkMd5,
): Promise<string> {
  const h = factory()
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
