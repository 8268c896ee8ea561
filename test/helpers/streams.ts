/** Byte streams for tests: bytes served in fixed-size chunks, and a stream read back to its chunks. */

/** `data` as a web stream of `chunk`-byte pieces (the last one shorter), pulled one at a time. */
export function streamOf(data: Uint8Array, chunk = 64 * 1024): ReadableStream<Uint8Array> {
  let off = 0
  return new ReadableStream({
    pull(c) {
      if (off >= data.length) return c.close()
      c.enqueue(data.slice(off, (off += chunk)))
    },
  })
}

/** Reads `stream` to the end; resolves with the chunks as they came. */
export async function chunksOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = []
  const reader = stream.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return out
    out.push(value)
  }
}
