/**
 * `nos sync`: local -> NOS round trip with --delete and --dryrun, NOS -> local and NOS -> NOS, filters, keys
 * that would leave the destination, --checksum, and resuming after Ctrl-C.
 */
import { mkdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { harness, objectBytes, ops, randomBytes, readTree, type Harness } from './helpers.js'

let h: Harness

beforeAll(async () => {
  h = await harness()
})
afterAll(() => h.close())

/** The lines of an output, sorted (parallel transfers finish in any order). */
const lines = (text: string) => text.split('\n').filter(Boolean).sort()

async function writeTree(root: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [rel, body] of Object.entries(files)) {
    await mkdir(join(root, rel, '..'), { recursive: true })
    await writeFile(join(root, rel), body)
  }
}

async function keysUnder(bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = []
  for await (const o of h.client.iterateObjects({ bucket, prefix })) keys.push(o.key.slice(prefix.length))
  return keys.sort()
}

/** Requests that change something on NOS. */
const writes = () => h.emu.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')

describe('nos sync', () => {
  it('round trip: after changing, adding and deleting one file each, --delete transfers exactly those three, shown first by --dryrun', async () => {
    const src = join(h.dir, 'site')
    await writeTree(src, { 'a.txt': 'alpha', 'b.txt': 'bravo', 'c.txt': 'charlie', 'sub/d.txt': 'delta' })
    const first = await h.nos(['sync', src, 'nos://bkt/site/'])
    expect(first.code, first.stderr).toBe(0)
    expect(lines(first.stdout)).toEqual(['a.txt', 'b.txt', 'c.txt', 'sub/d.txt'].map((f) => `upload: ${join(src, f)} -> nos://bkt/site/${f} (${f === 'sub/d.txt' ? 5 : f === 'c.txt' ? 7 : 5} B)`).sort())

    await writeFile(join(src, 'b.txt'), 'bravo, changed')
    await writeFile(join(src, 'e.txt'), 'echo')
    await rm(join(src, 'c.txt'))
    h.emu.clearRequestLog()
    const dry = await h.nos(['sync', '--delete', '--dryrun', src, 'nos://bkt/site/'])
    expect(dry.code, dry.stderr).toBe(0)
    const plan = [`upload: ${join(src, 'b.txt')} -> nos://bkt/site/b.txt`, `upload: ${join(src, 'e.txt')} -> nos://bkt/site/e.txt`, 'delete: nos://bkt/site/c.txt']
    expect(lines(dry.stdout)).toEqual(plan.map((l) => `(dryrun) ${l}`).sort())
    expect(writes()).toEqual([])
    expect(await keysUnder('bkt', 'site/')).toEqual(['a.txt', 'b.txt', 'c.txt', 'sub/d.txt'])

    const real = await h.nos(['sync', '--delete', src, 'nos://bkt/site/'])
    expect(real.code, real.stderr).toBe(0)
    expect(lines(real.stdout).map((l) => l.replace(/ \(\d+ B\)$/, ''))).toEqual(plan.sort())
    expect(writes().map((r) => `${r.op} ${r.key ?? ''}`).sort()).toEqual(['deleteObjects ', 'putObject site/b.txt', 'putObject site/e.txt'])
    expect(await keysUnder('bkt', 'site/')).toEqual(['a.txt', 'b.txt', 'e.txt', 'sub/d.txt'])
    expect((await objectBytes(h.client, 'bkt', 'site/b.txt')).toString()).toBe('bravo, changed')

    h.emu.clearRequestLog()
    const again = await h.nos(['sync', '--delete', src, 'nos://bkt/site/'])
    expect([again.code, again.stdout, writes()]).toEqual([0, '', []])
  })
})

describe('nos sync from NOS', () => {
  it('downloads with the objects\' Last-Modified as file times, so a second sync is a no-op; copies between buckets', async () => {
    await Promise.all(['x.txt', 'deep/y.txt', 'deep/er/z.bin'].map((k, i) => h.client.putObject({ bucket: 'bkt', key: `from/${k}`, body: `body ${i}` })))
    const local = join(h.dir, 'from-nos')
    const [down, copy] = await Promise.all([h.nos(['sync', 'nos://bkt/from', local]), h.nos(['sync', '--json', 'nos://bkt/from/', 'nos://other/mirror/'])])
    expect(down.code, down.stderr).toBe(0)
    const tree = await readTree(local)
    expect([...tree.keys()].sort()).toEqual(['deep/er/z.bin', 'deep/y.txt', 'x.txt'])
    const head = await h.client.headObject({ bucket: 'bkt', key: 'from/deep/y.txt' })
    expect((await stat(join(local, 'deep/y.txt'))).mtimeMs).toBe(Math.floor(head.lastModified.getTime() / 1000) * 1000)
    expect(copy.code, copy.stderr).toBe(0)
    expect(JSON.parse(copy.stdout)).toMatchObject({ unchanged: 0, failures: [], transfers: [{ action: 'copy', reason: 'new' }, { action: 'copy' }, { action: 'copy' }] })
    expect(await keysUnder('other', 'mirror/')).toEqual(['deep/er/z.bin', 'deep/y.txt', 'x.txt'])

    // A local edit (same size, other time) is undone; the rest is unchanged.
    // Its time is set explicitly: written within the second of the upload, it would compare equal to the second.
    await writeFile(join(local, 'x.txt'), 'BODY 0')
    const edited = new Date(Math.floor(head.lastModified.getTime() / 1000) * 1000 + 5000)
    await utimes(join(local, 'x.txt'), edited, edited)
    const [again, copyAgain] = await Promise.all([h.nos(['sync', '--json', 'nos://bkt/from', local]), h.nos(['sync', 'nos://bkt/from/', 'nos://other/mirror/'])])
    expect(JSON.parse(again.stdout)).toMatchObject({ unchanged: 2, transfers: [{ action: 'download', reason: 'modification time differs', destination: join(local, 'x.txt') }] })
    expect(await readFile(join(local, 'x.txt'), 'utf8')).toBe('body 0')
    expect([copyAgain.code, copyAgain.stdout]).toEqual([0, ''])
  })

  it('a key with ../ (or an absolute name) is refused on download, reported, and nothing is written outside the directory', async () => {
    for (const key of ['esc/ok.txt', 'esc/../../escaped.txt', 'esc/a/../../../escaped2.txt', 'esc//abs.txt']) await h.client.putObject({ bucket: 'bkt', key, body: key })
    const base = join(h.dir, 'refuse')
    const [sync, cp] = await Promise.all([h.nos(['sync', 'nos://bkt/esc/', join(base, 'a', 'b', 'sync')]), h.nos(['cp', '-r', 'nos://bkt/esc/', join(base, 'a', 'b', 'cp')])])
    for (const r of [sync, cp]) {
      expect(r.code, r.stderr).toBe(1)
      expect(r.stderr).toMatch(/^nos: failed: nos:\/\/bkt\/esc\/\.\.\/\.\.\/escaped\.txt: refused: its name has a "\.\." segment/m)
      expect(r.stderr).toMatch(/^nos: failed: nos:\/\/bkt\/esc\/a\/\.\.\/\.\.\/\.\.\/escaped2\.txt: refused/m)
      expect(r.stderr).toMatch(/^nos: failed: nos:\/\/bkt\/esc\/\/abs\.txt: refused: its name is an absolute path/m)
      expect(r.stderr).toMatch(/^nos: 3 of 4 failed:$/m)
    }
    expect([...(await readTree(base)).keys()].sort()).toEqual(['a/b/cp/ok.txt', 'a/b/sync/ok.txt'])
  })

  it('--exclude and --include: the last matching filter wins, on both sides', async () => {
    const src = join(h.dir, 'filtered')
    await writeTree(src, { 'a.jpg': '1', 'b.txt': '2', 'private/c.jpg': '3', 'private/d.txt': '4', 'x/e.jpg': '5' })
    await h.client.putObject({ bucket: 'bkt', key: 'flt/keep.log', body: 'excluded on the destination: not deleted' })
    await h.client.putObject({ bucket: 'bkt', key: 'flt/gone.jpg', body: 'included and not in the source: deleted' })
    const run = (...flags: string[]) => h.nos(['sync', '--dryrun', '--delete', '--json', ...flags, src, 'nos://bkt/flt/'])
    const [jpgs, nothing, noPrivate] = await Promise.all([
      run('--exclude', '*', '--include', '*.jpg'),
      run('--include', '*.jpg', '--exclude', '*'),
      run('--exclude', '*', '--include', '*.jpg', '--exclude', 'private/*'),
    ])
    const planned = (r: { stdout: string }) => {
      const doc = JSON.parse(r.stdout) as { transfers: { destination: string }[]; deleted: string[] }
      return { up: doc.transfers.map((t) => t.destination.slice('nos://bkt/flt/'.length)).sort(), del: doc.deleted }
    }
    expect(planned(jpgs)).toEqual({ up: ['a.jpg', 'private/c.jpg', 'x/e.jpg'], del: ['nos://bkt/flt/gone.jpg'] })
    expect(planned(nothing)).toEqual({ up: [], del: [] })
    expect(planned(noPrivate)).toEqual({ up: ['a.jpg', 'x/e.jpg'], del: ['nos://bkt/flt/gone.jpg'] })
  })

  it('--checksum compares contents by MD5, multipart objects included; --size-only ignores times', async () => {
    const src = join(h.dir, 'sums')
    await writeTree(src, { 'small.txt': 'same size A', 'big.bin': randomBytes(40 * 1024, 5) })
    const up = await h.nos(['sync', '--part-size', '16KiB', src, 'nos://bkt/sums/'])
    expect(up.code, up.stderr).toBe(0)
    expect(ops(h.emu, 'completeMultipartUpload').filter((r) => r.key === 'sums/big.bin')).toHaveLength(1)
    // Newer times everywhere, one content change of the same size.
    await writeFile(join(src, 'small.txt'), 'same size B')
    const later = new Date(Date.now() + 3600_000)
    for (const f of ['small.txt', 'big.bin']) await utimes(join(src, f), later, later)
    const [byTime, bySum, bySize] = await Promise.all(
      [[], ['--checksum', '--part-size', '16KiB'], ['--size-only']].map((flags) => h.nos(['sync', '--dryrun', '--json', ...flags, src, 'nos://bkt/sums/'])),
    )
    const reasons = (r: { stdout: string }) => (JSON.parse(r.stdout) as { transfers: { source: string; reason: string }[] }).transfers.map((t) => `${t.source.slice(src.length + 1)}: ${t.reason}`).sort()
    expect(reasons(byTime!)).toEqual(['big.bin: source is newer', 'small.txt: source is newer'])
    expect(reasons(bySum!)).toEqual(['small.txt: content differs'])
    expect(reasons(bySize!)).toEqual([])
  })
})
