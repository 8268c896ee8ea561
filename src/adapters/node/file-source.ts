/**
 * Files as random-access upload sources: parts are read when they are sent (memory stays bounded).
 * @module
 */
import { open, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { FileOpenModeError, InvalidArgument } from '../../core/errors.js'
import type { RandomAccessSource } from '../../transfers/sources.js'

/**
 * An upload source over a file.
 * @example
 * await client.upload({ bucket: 'my-bucket', key: 'big.iso', body: await fileSource('/tmp/big.iso') }) // type-check only: needs the file
 */
export async function fileSource(path: string): Promise<RandomAccessSource> {
  if (typeof path !== 'string' || path === '') throw new InvalidArgument(`path must be the path of a file, got ${typeof path === 'string' ? '""' : typeof path}`)
  const st = await stat(path).catch((e: NodeJS.ErrnoException) => {
    throw new FileOpenModeError(`path ${JSON.stringify(path)} cannot be read: ${e.code ?? e.message}`, { cause: e })
  })
  if (!st.isFile()) throw new FileOpenModeError(`path ${JSON.stringify(path)} is not a regular file${st.isDirectory() ? ' but a directory' : ''}: upload a file`)
  let handle: Awaited<ReturnType<typeof open>> | undefined
  return {
    kind: 'random',
    size: st.size,
    name: basename(path),
    lastModified: Math.floor(st.mtimeMs),
    async read(start, end) {
      handle ??= await open(path, 'r')
      const buf = new Uint8Array(end - start)
      let off = 0
      while (off < buf.length) {
        const { bytesRead } = await handle.read(buf, off, buf.length - off, start + off)
        // A typed input error: upload() then aborts the multipart upload instead of keeping parts of a changed file.
        if (bytesRead === 0) throw new FileOpenModeError(`${path} shrank while it was being uploaded`)
        off += bytesRead
      }
      return buf
    },
    async close() {
      await handle?.close()
      handle = undefined
    },
  }
}
