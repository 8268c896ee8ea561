/**
 * Interrupts leave nothing behind: Ctrl-C aborts what cannot be resumed (an upload from
 * stdin), keeps and names what can (a sync resumes from its checkpoint), and `--json` still reports what was
 * done. Each interrupt happens while a request is held at a proxy: at a known point, without sleeps.
 */
import type { ChildProcess } from 'node:child_process'
import { readdir, writeFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import { harness, objectBytes, ops, randomBytes, type Harness } from './helpers.js'
import { startProxy, type Proxy } from './proxy.js'

let h: Harness
let proxy: Proxy

beforeAll(async () => {
  h = await harness()
})
beforeEach(async () => {
  await proxy?.close()
  proxy = await startProxy(h.emu.endpoint)
  h.emu.clearRequestLog()
})
afterAll(async () => {
  await proxy.close()
  await h.close()
})

function exited(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
}

const viaProxy = () => ({ env: { NOS_ENDPOINT: proxy.endpoint } })

it('regression: Ctrl-C on `producer | nos cp - nos://b/k` aborts the upload and says so: no pending upload, no parts, no checkpoint', async () => {
  const second = proxy.hold({ method: 'PUT', url: /partNumber=2&/ })
  const child = h.spawnNos(['cp', '--part-size', '16KiB', '--concurrency', '1', '-', 'nos://bkt/from-stdin.bin'], viaProxy())
  const done = exited(child)
  // The producer is still running: stdin stays open.
  child.stdin!.write(randomBytes(40 * 1024, 4))
  await second.arrived
  child.kill('SIGINT')
  const r = await done
  expect(r.code).toBe(130)
  expect(r.stderr).toBe('nos: interrupted; upload from stdin to nos://bkt/from-stdin.bin aborted: a stream cannot be resumed, and no part of it was left on NOS\n')
  expect((await h.client.listMultipartUploads({ bucket: 'bkt' })).uploads).toEqual([])
  expect(ops(h.emu, 'abortMultipartUpload')).toHaveLength(1)
  expect(await readdir(h.env['NOS_STATE_DIR']!).catch(() => [])).toEqual([])
})

it('regression: after Ctrl-C during `rm -r --json`, the JSON document reports what was deleted', async () => {
  const first = ['one/a', 'one/b', 'one/c']
  await Promise.all([...first, 'two/d', 'two/e'].map((key) => h.client.putObject({ bucket: 'bkt', key, body: '' })))
  // The second prefix's multi-delete is held: the first prefix is done, the second not started on NOS.
  const secondBatch = proxy.hold({ method: 'POST', url: /\?delete/, nth: 2 })
  const child = h.spawnNos(['rm', '-r', '--json', 'nos://bkt/one/', 'nos://bkt/two/'], viaProxy())
  const done = exited(child)
  await secondBatch.arrived
  child.kill('SIGINT')
  const r = await done
  expect(r.code).toBe(130)
  expect(JSON.parse(r.stdout)).toEqual({
    dryrun: false,
    deleted: first.map((k) => `nos://bkt/${k}`),
    count: 3,
    failures: [],
    error: { kind: 'InterruptedError', exitCode: 130, message: 'interrupted; 3 object(s) deleted before the interrupt' },
  })
  expect(r.stderr).toBe('nos: interrupted; 3 object(s) deleted before the interrupt\n')
  const left: string[] = []
  for await (const o of h.client.iterateObjects({ bucket: 'bkt' })) left.push(o.key)
  expect(left.filter((k) => /^(one|two)\//.test(k))).toEqual(['two/d', 'two/e'])
})

it('sync resumes after Ctrl-C: the note names the checkpoint, the next run sends only the missing parts and skips finished files', async () => {
  const src = join(h.dir, 'resumable')
  await mkdir(src, { recursive: true })
  const big = randomBytes(160 * 1024, 8)
  await writeFile(join(src, 'a.txt'), 'small, done first')
  await writeFile(join(src, 'big.bin'), big)
  const args = ['sync', '--jobs', '1', '--concurrency', '1', '--part-size', '16KiB', src, 'nos://bkt/resumable/']
  const fourth = proxy.hold({ method: 'PUT', url: /partNumber=4&/ })
  const child = h.spawnNos(args, viaProxy())
  const done = exited(child)
  await fourth.arrived
  child.kill('SIGINT')
  const r = await done
  expect(r.code).toBe(130)
  expect(r.stdout).toMatch(/^upload: .*a\.txt -> nos:\/\/bkt\/resumable\/a\.txt/)
  expect(r.stderr).toMatch(/^nos: interrupted; upload .*big\.bin -> nos:\/\/bkt\/resumable\/big\.bin paused \(3 part\(s\) on NOS, upload id \S+\); checkpoint kept in \S+\.json: run the same command again to resume$/m)
  h.emu.clearRequestLog()
  const again = await h.nos([...args, '--json'])
  expect(again.code, again.stderr).toBe(0)
  expect(JSON.parse(again.stdout)).toMatchObject({ unchanged: 1, transfers: [{ destination: 'nos://bkt/resumable/big.bin', resumed: true, partsTotal: 10, partsSent: 7 }] })
  expect(ops(h.emu, 'uploadPart')).toHaveLength(7)
  expect(Buffer.compare(await objectBytes(h.client, 'bkt', 'resumable/big.bin'), big)).toBe(0)
})
