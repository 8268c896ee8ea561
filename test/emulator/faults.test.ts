/** Fault injection (deterministic) and the request log. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Emulator } from '../../src/emulator/index.js'
import { Client, errorCode, setup, tags } from './helpers.js'

let emu: Emulator
let c: Client

beforeAll(async () => {
  ;({ emu, c } = await setup())
})
afterAll(() => emu.close())

async function initiate(key: string): Promise<string> {
  const r = await c.send({ method: 'POST', bucket: 'bkt', key, query: { uploads: null }, body: '' })
  return tags(r.text, 'UploadId')[0]!
}

describe('fault injection', () => {
  it('nth: the 2nd matching uploadPart gets 503, the rest succeed', async () => {
    emu.setFaults({ rules: [{ match: { op: 'uploadPart', nth: [2] }, action: 'error503' }] })
    const id = await initiate('f1')
    const statuses: number[] = []
    for (let n = 1; n <= 3; n++) {
      const r = await c.send({ method: 'PUT', bucket: 'bkt', key: 'f1', query: { partNumber: String(n), uploadId: id }, body: 'x' })
      statuses.push(r.status)
      if (r.status === 503) expect(errorCode(r)).toBe('ServiceUnavailable')
    }
    expect(statuses).toEqual([200, 503, 200])
    const logged = emu.requests.filter((e) => e.op === 'uploadPart')
    expect(logged.map((e) => e.fault)).toEqual([undefined, 'error503', undefined])
    expect(logged[1]!.errorCode).toBe('ServiceUnavailable')
  })

  it('reset destroys the connection after part of the body; the object is not stored; a retry works', async () => {
    emu.setFaults({ rules: [{ match: { method: 'PUT', keyPrefix: 'reset/', nth: [1] }, action: 'reset', resetAfterBytes: 10 }] })
    await expect(c.put('bkt', 'reset/a', Buffer.alloc(64 * 1024, 1))).rejects.toMatchObject({ code: expect.stringMatching(/^(ECONNRESET|EPIPE)$/) })
    expect(errorCode(await c.get('bkt', 'reset/a'))).toBe('NoSuchKey')
    expect((await c.put('bkt', 'reset/a', 'ok')).status).toBe(200)
    const entry = emu.requests.find((e) => e.fault === 'reset')!
    expect(entry.status).toBe(0)
    expect(entry.bytesIn).toBeGreaterThanOrEqual(10)
    expect(entry.op).toBe('putObject')
  })

  it('slowDown, error500 and delay', async () => {
    emu.setFaults({
      rules: [
        { match: { keyPrefix: 'slow' }, action: 'slowDown' },
        { match: { keyPrefix: 'boom' }, action: 'error500' },
        { match: { keyPrefix: 'wait' }, action: 'delay', delayMs: 150 },
      ],
    })
    const slow = await c.get('bkt', 'slow')
    expect(slow.status).toBe(503)
    expect(errorCode(slow)).toBe('SlowDown')
    const boom = await c.get('bkt', 'boom')
    expect(boom.status).toBe(500)
    expect(errorCode(boom)).toBe('InternalError')
    const t0 = Date.now()
    expect((await c.put('bkt', 'wait', 'w')).status).toBe(200)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140)
  })

  it('probability is deterministic for a seed', async () => {
    const run = async (seed: number): Promise<number[]> => {
      emu.setFaults({ rules: [{ match: { op: 'headObject', probability: 0.5 }, action: 'error503' }], seed })
      const out: number[] = []
      for (let i = 0; i < 20; i++) out.push((await c.send({ method: 'HEAD', bucket: 'bkt', key: 'reset/a' })).status)
      return out
    }
    const a = await run(42)
    const b = await run(42)
    expect(a).toEqual(b)
    expect(a).toContain(503)
    expect(a).toContain(200)
    expect(await run(7)).not.toEqual(a)
  })

  it('setFaults() with no argument removes every rule', async () => {
    emu.setFaults()
    expect((await c.get('bkt', 'slow')).status).toBe(404)
  })
})

describe('request log', () => {
  it('records method, path, query, status, sizes, time, op and error code; clearRequestLog empties it', async () => {
    emu.clearRequestLog()
    await c.put('bkt', 'log/x y', 'abc')
    const listed = await c.send({ bucket: 'bkt', query: { prefix: 'log/' } })
    await c.get('bkt', 'log/none')
    const [put, list, miss] = emu.requests
    expect(put).toMatchObject({ method: 'PUT', path: '/bkt/log%2Fx%20y', query: '', status: 200, bytesIn: 3, op: 'putObject', bucket: 'bkt', key: 'log/x y' })
    expect(put!.requestId).toMatch(/^[0-9a-f]{32}$/)
    expect(list).toMatchObject({ method: 'GET', query: 'prefix=log%2F', status: 200, op: 'listObjects' })
    expect(list!.bytesOut).toBe(listed.body.length)
    expect(miss).toMatchObject({ status: 404, errorCode: 'NoSuchKey', op: 'getObject' })
    expect(typeof miss!.ms).toBe('number')
    const ref = emu.requests
    emu.clearRequestLog()
    expect(ref.length).toBe(0)
  })

  it('a request in flight when the log is cleared is not logged afterwards', async () => {
    // The emulator reads its clock while it serves a request (the signature's skew check): a clock that clears the
    // log when it is read clears it with that request in flight, at a known point and without a sleep.
    let onClockRead: (() => void) | undefined
    const { emu: own } = await setup({ now: () => (onClockRead?.(), Date.now()) })
    const oc = new Client(own, Date.now)
    try {
      onClockRead = () => {
        onClockRead = undefined
        own.clearRequestLog()
      }
      expect(errorCode(await oc.get('bkt', 'inflight'))).toBe('NoSuchKey')
      expect(onClockRead).toBeUndefined()
      await oc.get('bkt', 'after')
      expect(own.requests.map((e) => e.key)).toEqual(['after'])
    } finally {
      await own.close()
    }
  })

  it('log: true prints one line per request to stderr', async () => {
    const { emu: loud, c: lc } = await setup({ log: true })
    // The line is written once the response has finished, which may be after the client has its answer: wait for it.
    let logged!: (line: string) => void
    const line = new Promise<string>((r) => (logged = r))
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      if (String(chunk).startsWith('[nos-emulator]')) logged(String(chunk))
      return true
    })
    try {
      await lc.get('bkt', 'nothing')
      expect(await line).toMatch(/^\[nos-emulator\] GET \/bkt\/nothing -> 404 getObject in=0B out=\d+B [\d.]+ms NoSuchKey\n$/)
    } finally {
      spy.mockRestore()
      await loud.close()
    }
  })
})
