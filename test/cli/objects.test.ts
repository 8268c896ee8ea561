/** `nos cat`, `nos stat`, the metadata flags of uploads, and the dry runs of cp and rm. */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { harness, ops, randomBytes, type Harness } from './helpers.js'

let h: Harness
const DATA = randomBytes(100_000, 9)

beforeAll(async () => {
  h = await harness()
  await h.client.putObject({ bucket: 'bkt', key: 'data.bin', body: DATA })
  await h.client.putObject({ bucket: 'bkt', key: 'hello.txt', body: 'hello, ' })
  await h.client.putObject({ bucket: 'bkt', key: 'world.txt', body: 'world' })
})
afterAll(() => h.close())

/** Runs nos and returns stdout as bytes (cat output is binary). */
async function catBytes(args: string[]): Promise<Buffer> {
  const child = h.spawnNos(args)
  const chunks: Buffer[] = []
  child.stdout!.on('data', (c: Buffer) => chunks.push(c))
  child.stdin!.end()
  const code = await new Promise<number | null>((r) => child.on('close', r))
  expect(code, args.join(' ')).toBe(0)
  return Buffer.concat(chunks)
}

describe('nos cat', () => {
  it('streams objects to stdout; --range selects first-last, first- and -count bytes', async () => {
    const [whole, both, range, from, last, missing] = await Promise.all([
      catBytes(['cat', 'nos://bkt/data.bin']),
      catBytes(['cat', 'nos://bkt/hello.txt', 'nos://bkt/world.txt']),
      catBytes(['cat', '--range', '1000-1999', 'nos://bkt/data.bin']),
      catBytes(['cat', '--range', '99990-', 'nos://bkt/data.bin']),
      catBytes(['cat', '--range', '-5', 'nos://bkt/data.bin']),
      h.nos(['cat', 'nos://bkt/hello.txt', 'nos://bkt/nope.txt']),
    ])
    expect(Buffer.compare(whole, Buffer.from(DATA))).toBe(0)
    expect(both.toString()).toBe('hello, world')
    expect(Buffer.compare(range, Buffer.from(DATA.subarray(1000, 2000)))).toBe(0)
    expect(Buffer.compare(from, Buffer.from(DATA.subarray(99_990)))).toBe(0)
    expect(Buffer.compare(last, Buffer.from(DATA.subarray(99_995)))).toBe(0)
    expect([missing.code, missing.stdout]).toEqual([1, 'hello, '])
    expect(missing.stderr).toMatch(/^nos: nos:\/\/bkt\/nope\.txt: .*NoSuchKey/m)
    const bad = await h.nos(['cat', '--range', '5-2', 'nos://bkt/data.bin'])
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/--range: expected first-last/)])
  })
})

describe('metadata flags and nos stat', () => {
  it('cp --metadata, --content-type, --cache-control and --content-disposition are visible in stat and stat --json', async () => {
    const file = join(h.dir, 'report.csv')
    await writeFile(file, 'a,b\n1,2\n')
    const meta = ['--metadata', 'author=alice', '--metadata', 'x-nos-meta-Project=apollo 11', '--cache-control', 'max-age=60', '--content-disposition', 'attachment; filename="r.csv"']
    const [up, upTyped] = await Promise.all([
      h.nos(['cp', ...meta, file, 'nos://bkt/meta/report.csv']),
      h.nos(['cp', '--content-type', 'application/x-custom', file, 'nos://bkt/meta/typed']),
    ])
    expect([up.code, upTyped.code], up.stderr + upTyped.stderr).toEqual([0, 0])
    const [json, text, typed] = await Promise.all([
      h.nos(['stat', '--json', 'nos://bkt/meta/report.csv']),
      h.nos(['stat', 'nos://bkt/meta/report.csv']),
      h.nos(['stat', '--json', 'nos://bkt/meta/typed']),
    ])
    const head = await h.client.headObject({ bucket: 'bkt', key: 'meta/report.csv' })
    expect(JSON.parse(json.stdout)).toEqual({
      uri: 'nos://bkt/meta/report.csv', bucket: 'bkt', key: 'meta/report.csv', size: 8, contentType: 'text/csv; charset=utf-8',
      etag: head.etag, lastModified: head.lastModified.toISOString(), cacheControl: 'max-age=60', contentDisposition: 'attachment; filename="r.csv"',
      metadata: { author: 'alice', project: 'apollo 11' },
    })
    for (const line of [/^Size: +8 \(8 B\)$/m, /^Content-Type: +text\/csv; charset=utf-8$/m, new RegExp(`^ETag: +${head.etag}$`, 'm'), /^Last-Modified: +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/m, /^Cache-Control: +max-age=60$/m, /^x-nos-meta-author: +alice$/m, /^x-nos-meta-project: +apollo 11$/m]) {
      expect(text.stdout).toMatch(line)
    }
    expect(JSON.parse(typed.stdout)).toMatchObject({ contentType: 'application/x-custom', metadata: {} })
    const [missing, badMeta] = await Promise.all([h.nos(['stat', 'nos://bkt/meta/none']), h.nos(['cp', '--metadata', 'no-equals-sign', file, 'nos://bkt/x'])])
    expect([missing.code, badMeta.code]).toEqual([1, 2])
    expect(missing.stderr).toMatch(/^nos: nos:\/\/bkt\/meta\/none: not found/m)
  })
})

describe('dry runs', () => {
  it('cp --dryrun and rm --dryrun print the plan and change nothing', async () => {
    const file = join(h.dir, 'dry.txt')
    await writeFile(file, 'dry')
    h.emu.clearRequestLog()
    const [cp, rm, rmOne, rmMissing] = await Promise.all([
      h.nos(['cp', '--dryrun', file, 'nos://bkt/dry/']),
      h.nos(['rm', '-r', '--dryrun', 'nos://bkt/']),
      h.nos(['rm', '--dryrun', '--json', 'nos://bkt/hello.txt']),
      h.nos(['rm', '--dryrun', 'nos://bkt/hello.txt', 'nos://bkt/none.txt']),
    ])
    expect(cp.stdout).toBe(`(dryrun) upload: ${file} -> nos://bkt/dry/dry.txt\n`)
    expect(rm.stdout.split('\n').filter(Boolean).sort()).toEqual(expect.arrayContaining(['(dryrun) delete: nos://bkt/data.bin', '(dryrun) delete: nos://bkt/hello.txt']))
    expect(JSON.parse(rmOne.stdout)).toMatchObject({ dryrun: true, deleted: ['nos://bkt/hello.txt'], count: 1 })
    expect([rmMissing.code, rmMissing.stdout]).toEqual([1, '(dryrun) delete: nos://bkt/hello.txt\n'])
    expect(rmMissing.stderr).toMatch(/^nos: failed: nos:\/\/bkt\/none\.txt: no such object/m)
    expect(h.emu.requests.filter((r) => !['GET', 'HEAD'].includes(r.method))).toEqual([])
    expect(ops(h.emu, 'listObjects').length).toBeGreaterThan(0)
  })
})
