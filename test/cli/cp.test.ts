/** `nos cp` and `nos mv`: uploads, downloads, copies between buckets, directory round trips, stdin/stdout. */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { harness, objectBytes, ops, randomBytes, readTree, type Harness } from './helpers.js'

let h: Harness

beforeAll(async () => {
  h = await harness()
})
afterAll(() => h.close())

const exists = (p: string) => stat(p).then(() => true, () => false)

describe('nos cp', () => {
  it('uploads a file (multipart with --part-size), downloads it back, copies it between buckets', async () => {
    const data = randomBytes(700 * 1024, 7)
    const src = join(h.dir, 'up.bin')
    await writeFile(src, data)
    const up = await h.nos(['cp', '--part-size', '256KiB', src, 'nos://bkt/files/'])
    expect(up.code, up.stderr).toBe(0)
    expect(up.stdout).toMatch(/^upload: .*up\.bin -> nos:\/\/bkt\/files\/up\.bin \(700 KiB\)$/m)
    expect(ops(h.emu, 'uploadPart').filter((r) => r.key === 'files/up.bin')).toHaveLength(3)
    expect(Buffer.compare(await objectBytes(h.client, 'bkt', 'files/up.bin'), data)).toBe(0)

    const down = await h.nos(['cp', 'nos://bkt/files/up.bin', join(h.dir, 'down.bin')])
    expect(down.code, down.stderr).toBe(0)
    expect(Buffer.compare(await readFile(join(h.dir, 'down.bin')), data)).toBe(0)
    expect(await exists(join(h.dir, 'down.bin.nosdl'))).toBe(false)

    const copy = await h.nos(['cp', '--json', 'nos://bkt/files/up.bin', 'nos://other/copied.bin'])
    expect(copy.code, copy.stderr).toBe(0)
    expect(JSON.parse(copy.stdout)).toMatchObject({ count: 1, transfers: [{ action: 'copy', source: 'nos://bkt/files/up.bin', destination: 'nos://other/copied.bin' }] })
    expect(ops(h.emu, 'copyObject')).toHaveLength(1)
    expect(Buffer.compare(await objectBytes(h.client, 'other', 'copied.bin'), data)).toBe(0)
  })

  it('sets the Content-Type from the extension or --content-type, and downloads into a directory', async () => {
    const src = join(h.dir, 'page.html')
    await writeFile(src, '<p>hi</p>')
    expect((await h.nos(['cp', src, 'nos://bkt/site/'])).code).toBe(0)
    expect((await h.client.headObject({ bucket: 'bkt', key: 'site/page.html' })).contentType).toMatch(/^text\/html/)
    expect((await h.nos(['cp', '--content-type', 'application/x-custom', src, 'nos://bkt/site/custom'])).code).toBe(0)
    expect((await h.client.headObject({ bucket: 'bkt', key: 'site/custom' })).contentType).toBe('application/x-custom')
    const into = join(h.dir, 'into')
    await mkdir(into)
    expect((await h.nos(['cp', 'nos://bkt/site/page.html', into])).code).toBe(0)
    expect(await readFile(join(into, 'page.html'), 'utf8')).toBe('<p>hi</p>')
  })

  it('round-trips a directory tree byte for byte with --recursive', async () => {
    const tree = join(h.dir, 'tree')
    const files: Record<string, Uint8Array> = {
      'top.bin': randomBytes(300 * 1024, 1),
      'empty.dat': new Uint8Array(0),
      'a/b/c/deep.bin': randomBytes(40 * 1024, 2),
      'a/with space.txt': new TextEncoder().encode('spaces in the name\n'),
      '文档/报告 2024.txt': new TextEncoder().encode('中文内容\n'),
      'a/b/all-bytes.bin': Uint8Array.from({ length: 256 }, (_, i) => i),
    }
    for (const [rel, bytes] of Object.entries(files)) {
      await mkdir(join(tree, rel, '..'), { recursive: true })
      await writeFile(join(tree, rel), bytes)
    }
    const up = await h.nos(['cp', '-r', '--part-size', '128KiB', tree, 'nos://bkt/tree', '--json'])
    expect(up.code, up.stderr).toBe(0)
    expect(JSON.parse(up.stdout).count).toBe(6)
    const keys: string[] = []
    for await (const o of h.client.iterateObjects({ bucket: 'bkt', prefix: 'tree/' })) keys.push(o.key)
    expect(keys.sort()).toEqual(Object.keys(files).map((k) => `tree/${k}`).sort())

    const back = join(h.dir, 'tree-back')
    const down = await h.nos(['cp', '--recursive', 'nos://bkt/tree/', back])
    expect(down.code, down.stderr).toBe(0)
    const got = await readTree(back)
    expect([...got.keys()].sort()).toEqual(Object.keys(files).sort())
    for (const [rel, bytes] of Object.entries(files)) expect(Buffer.compare(got.get(rel)!, bytes), rel).toBe(0)

    const copied = await h.nos(['cp', '-r', 'nos://bkt/tree', 'nos://other/tree-copy/'])
    expect(copied.code, copied.stderr).toBe(0)
    expect(Buffer.compare(await objectBytes(h.client, 'other', 'tree-copy/文档/报告 2024.txt'), files['文档/报告 2024.txt']!)).toBe(0)
  })

  it('shows progress bars with rate and ETA on stderr with --progress; --quiet prints nothing', async () => {
    const src = join(h.dir, 'progress.bin')
    await writeFile(src, randomBytes(512 * 1024, 3))
    const r = await h.nos(['cp', '--progress', src, 'nos://bkt/progress.bin'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/progress\.bin +\[=+\] 100% \| 512 KiB\/512 KiB \| [\d.]+ (B|KiB|MiB|GiB)\/s \| ETA \d+s/)
    const q = await h.nos(['cp', '--quiet', src, 'nos://bkt/progress2.bin'])
    expect(q).toMatchObject({ code: 0, stdout: '', stderr: '' })
  })

  it('streams stdin to an object and an object to stdout with -', async () => {
    const r = await h.nos(['cp', '-', 'nos://bkt/stdin.txt'], { input: 'from standard input' })
    expect(r.code, r.stderr).toBe(0)
    expect((await objectBytes(h.client, 'bkt', 'stdin.txt')).toString()).toBe('from standard input')
    const out = await h.nos(['cp', 'nos://bkt/stdin.txt', '-'])
    expect(out).toMatchObject({ code: 0, stdout: 'from standard input' })
  })

  it('needs --recursive for directories and prefixes; local to local is a usage error', async () => {
    const [noR, prefix, local, missing] = await Promise.all([
      h.nos(['cp', join(h.dir, 'tree'), 'nos://bkt/x/']),
      h.nos(['cp', 'nos://bkt/tree/', h.dir]),
      h.nos(['cp', join(h.dir, 'up.bin'), join(h.dir, 'x.bin')]),
      h.nos(['cp', join(h.dir, 'no-such-file'), 'nos://bkt/x']),
    ])
    expect(noR.code).toBe(2)
    expect(noR.stderr).toMatch(/^nos: .*add --recursive/m)
    expect(prefix.code).toBe(2)
    expect(local.code).toBe(2)
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/^nos: no such file or directory/m)
  })
})

describe('nos mv', () => {
  it('renames within a bucket with moveObject', async () => {
    await h.client.putObject({ bucket: 'bkt', key: 'mv/old.txt', body: 'moving' })
    h.emu.clearRequestLog()
    const r = await h.nos(['mv', 'nos://bkt/mv/old.txt', 'nos://bkt/mv/new.txt'])
    expect(r.code, r.stderr).toBe(0)
    expect(ops(h.emu, 'moveObject')).toHaveLength(1)
    expect(ops(h.emu, 'copyObject')).toHaveLength(0)
    expect((await objectBytes(h.client, 'bkt', 'mv/new.txt')).toString()).toBe('moving')
    await expect(h.client.headObject({ bucket: 'bkt', key: 'mv/old.txt' })).rejects.toMatchObject({ name: 'NotFoundError', statusCode: 404 })
  })

  it('moves across buckets with copy + delete, recursively', async () => {
    await h.client.putObject({ bucket: 'bkt', key: 'mvdir/1.txt', body: 'one' })
    await h.client.putObject({ bucket: 'bkt', key: 'mvdir/sub/2.txt', body: 'two' })
    h.emu.clearRequestLog()
    const r = await h.nos(['mv', '-r', 'nos://bkt/mvdir', 'nos://other/moved/'])
    expect(r.code, r.stderr).toBe(0)
    expect(ops(h.emu, 'copyObject')).toHaveLength(2)
    expect((await objectBytes(h.client, 'other', 'moved/sub/2.txt')).toString()).toBe('two')
    const left = await h.client.listObjects({ bucket: 'bkt', prefix: 'mvdir/' })
    expect(left.contents).toHaveLength(0)
  })

  it('uploads then deletes the local file, downloads then deletes the object', async () => {
    const src = join(h.dir, 'mv-local.txt')
    await writeFile(src, 'local then remote')
    expect((await h.nos(['mv', src, 'nos://bkt/mv-local.txt'])).code).toBe(0)
    expect(await exists(src)).toBe(false)
    expect((await objectBytes(h.client, 'bkt', 'mv-local.txt')).toString()).toBe('local then remote')
    const back = join(h.dir, 'mv-back.txt')
    expect((await h.nos(['mv', 'nos://bkt/mv-local.txt', back])).code).toBe(0)
    expect(await readFile(back, 'utf8')).toBe('local then remote')
    await expect(h.client.headObject({ bucket: 'bkt', key: 'mv-local.txt' })).rejects.toMatchObject({ name: 'NotFoundError', statusCode: 404 })
  })
})
