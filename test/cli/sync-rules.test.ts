/** The comparison rules of `nos sync` (src/cli/sync/compare.ts, src/cli/sync/checksum.ts), in process. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { etagMatches, fileDigests, normalEtag } from '../../src/cli/sync/checksum.js'
import { quickCheck } from '../../src/cli/sync/compare.js'
import { randomBytes } from './helpers.js'
import { md5 } from '../helpers/md5.js'

const entry = (size: number, mtimeMs: number) => ({ rel: 'k', size, mtimeMs })

describe('quickCheck', () => {
  it('sizes first; then times to the second: newer source for uploads and copies, any difference for downloads', () => {
    expect(quickCheck(entry(1, 0), entry(2, 9e12), 'mtime', 'upload')).toBe('size differs')
    expect(quickCheck(entry(1, 0), entry(2, 0), 'size-only', 'download')).toBe('size differs')
    // A file modified before its upload (same second or earlier) is unchanged; after it, newer.
    expect(quickCheck(entry(5, 10_900), entry(5, 10_000), 'mtime', 'upload')).toBeUndefined()
    expect(quickCheck(entry(5, 11_000), entry(5, 10_000), 'mtime', 'upload')).toBe('source is newer')
    expect(quickCheck(entry(5, 5_000), entry(5, 10_000), 'mtime', 'upload')).toBeUndefined()
    // A download set the file's time to Last-Modified: equal; a local edit (either way) differs.
    expect(quickCheck(entry(5, 10_000), entry(5, 10_000), 'mtime', 'download')).toBeUndefined()
    expect(quickCheck(entry(5, 10_000), entry(5, 12_345), 'mtime', 'download')).toBe('modification time differs')
    expect(quickCheck(entry(5, 10_000), entry(5, 8_000), 'mtime', 'download')).toBe('modification time differs')
    expect(quickCheck(entry(5, 20_000), entry(5, 10_000), 'mtime', 'copy')).toBe('source is newer')
    expect(quickCheck(entry(5, 20_000), entry(5, 10_000), 'size-only', 'copy')).toBeUndefined()
    expect(quickCheck(entry(5, 0), entry(5, 0), 'checksum', 'upload')).toBe('checksum')
  })
})

describe('checksums', () => {
  it('a file hashes to its MD5 and, above one part, to the NOS multipart ETag', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nos-cli-sum-'))
    try {
      const data = randomBytes(40 * 1024, 3)
      const path = join(dir, 'f')
      await writeFile(path, data)
      const part = 16 * 1024
      const parts = [data.subarray(0, part), data.subarray(part, 2 * part), data.subarray(2 * part)].map((p) => `${md5(p)}-`).join('')
      const d = await fileDigests(path, data.length, part)
      expect(d).toEqual({ md5: md5(data), multipartEtag: md5(parts) })
      expect(await fileDigests(path, data.length, undefined)).toEqual({ md5: md5(data), multipartEtag: undefined })
      expect(etagMatches(`"${md5(parts).toUpperCase()}-3"`, d)).toBe(true)
      expect(etagMatches(md5(data), d)).toBe(true)
      expect(etagMatches(md5('other'), d)).toBe(false)
      expect(normalEtag('"ABC-12"')).toBe('abc')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
