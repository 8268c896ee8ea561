/**
 * Direct-upload contexts in the emulator (docs/protocol.md#direct-upload): one chunk at a time per context
 *, the object's ETag is the MD5 of its bytes, contexts expire, and a lost answer (the
 * `dropResponse` fault) keeps the chunk.
 */
import { request } from 'node:http'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { Client, hmac, md5, rawSend, type Reply } from './helpers.js'

const AK = 'directAccessKey'
const SK = 'directSecretKey0123456789'
let now = Date.UTC(2030, 0, 1)
const TTL = 3600_000

let emu: Emulator
let c: Client
beforeAll(async () => {
  emu = await startEmulator({ credentials: [{ accessKeyId: AK, accessKeySecret: SK }], buckets: ['uploads'], now: () => now, uploadContextTtlMs: TTL })
  c = new Client(emu, () => now)
})
afterAll(() => emu.close())

function token(key: string): string {
  const b64 = Buffer.from(JSON.stringify({ Bucket: 'uploads', Object: key, Expires: Math.floor(now / 1000) + 3600 })).toString('base64')
  return `UPLOAD ${AK}:${hmac(SK, b64)}:${b64}`
}

const path = (key: string, q: string) => `/uploads/${encodeURIComponent(key)}?${q}&version=1.0`
const chunkQuery = (offset: number, context: string | undefined, complete: boolean) => `offset=${offset}&complete=${complete}${context ? `&context=${context}` : ''}`

function chunk(key: string, offset: number, context: string | undefined, body: Buffer, complete = false, headers: Record<string, string> = {}): Promise<Reply> {
  return rawSend(emu.port, 'POST', path(key, chunkQuery(offset, context, complete)), { 'x-nos-token': token(key), 'Content-Length': String(body.length), ...headers }, body)
}

const json = (r: Reply) => JSON.parse(r.text) as { offset: number; context: string; errCode?: number; errMsg?: string }

/**
 * A chunk whose headers are sent with `Expect: 100-continue`: once the emulator answers 100, its handler has run
 * up to reading the body (the context is claimed), and the body is still to come.
 */
function heldChunk(key: string, offset: number, context: string, body: Buffer): Promise<{ finish(): Promise<Reply> }> {
  return new Promise((resolve, reject) => {
    const headers = { 'x-nos-token': token(key), 'Content-Length': String(body.length), Expect: '100-continue' }
    let answered: (r: Reply) => void
    const reply = new Promise<Reply>((ok) => (answered = ok))
    const req = request({ host: '127.0.0.1', port: emu.port, method: 'POST', path: path(key, chunkQuery(offset, context, false)), headers, agent: false }, (res) => {
      const parts: Buffer[] = []
      res.on('data', (b: Buffer) => parts.push(b))
      res.on('end', () => answered({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts), text: Buffer.concat(parts).toString() }))
    })
    req.on('error', reject)
    req.on('continue', () => resolve({ finish: () => (req.end(body), reply) }))
    req.flushHeaders()
  })
}

async function objectOf(key: string): Promise<Reply> {
  return c.send({ bucket: 'uploads', key, ak: AK, sk: SK })
}

describe('direct-upload contexts', () => {
  it('emulator direct upload race: of two chunks at one offset one wins, the other gets an offset error', async () => {
    const a = Buffer.alloc(3000, 0x61)
    const b = Buffer.alloc(5000, 0x62)
    const first = json(await chunk('race.bin', 0, undefined, Buffer.from('head')))
    const held = await heldChunk('race.bin', 4, first.context, a)
    const loser = await chunk('race.bin', 4, first.context, b)
    expect(loser.status).toBe(400)
    expect(json(loser).errCode).toBe(400)
    expect(json(loser).errMsg).toMatch(/another chunk/)
    const winner = await held.finish()
    expect(winner.status).toBe(200)
    expect(json(winner).offset).toBe(4 + a.length)
    const last = await chunk('race.bin', 4 + a.length, first.context, Buffer.from('tail'), true)
    expect(last.status).toBe(200)
    const got = await objectOf('race.bin')
    const want = Buffer.concat([Buffer.from('head'), a, Buffer.from('tail')])
    expect(got.body.equals(want)).toBe(true)
    expect(String(got.headers['etag']).replace(/"/g, '')).toBe(md5(want))
  })

  it('property: concurrent chunk submissions never corrupt an object (exactly one per offset wins; ETag = MD5 of the bytes)', async () => {
    let run = 0
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: 1, max: 4000 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }),
        async (steps) => {
          const key = `prop-${run++}.bin`
          const kept: Buffer[] = []
          let context: string | undefined
          let offset = 0
          for (const [i, sizes] of steps.entries()) {
            // Every copy differs, so the stored bytes show which one was taken.
            const bodies = sizes.map((n, j) => Buffer.alloc(n, (i * 7 + j * 3 + 1) & 0xff))
            // Once a context exists, every copy's headers reach the emulator before any copy's body does.
            const at = offset
            const replies = context === undefined
              ? await Promise.all(bodies.map((body) => chunk(key, at, undefined, body)))
              : await Promise.all((await Promise.all(bodies.map((body) => heldChunk(key, at, context!, body)))).map((h) => h.finish()))
            const ok = replies.flatMap((r, j) => (r.status === 200 ? [j] : []))
            // The first chunk has no context yet: each copy starts a context of its own. Later, one copy wins.
            if (context !== undefined) {
              expect(ok).toHaveLength(1)
              expect(replies.filter((r) => r.status !== 200).every((r) => r.status === 400)).toBe(true)
            }
            const j = ok[0]!
            kept.push(bodies[j]!)
            context ??= json(replies[j]!).context
            offset += bodies[j]!.length
            expect(json(replies[j]!).offset).toBe(offset)
          }
          expect((await chunk(key, offset, context, Buffer.alloc(0), true)).status).toBe(200)
          const got = await objectOf(key)
          const want = Buffer.concat(kept)
          expect(got.body.equals(want)).toBe(true)
          expect(String(got.headers['etag']).replace(/"/g, '')).toBe(md5(want))
        },
      ),
      { numRuns: 15 },
    )
  })

  it('contexts expire after uploadContextTtlMs: the offset query answers 404 and the context cannot continue', async () => {
    const first = json(await chunk('old.bin', 0, undefined, Buffer.from('abc')))
    const query = () => rawSend(emu.port, 'GET', path('old.bin', `uploadContext&context=${first.context}`), { 'x-nos-token': token('old.bin') })
    now += TTL
    expect(JSON.parse((await query()).text)).toEqual({ offset: 3 })
    now += 1
    const gone = await query()
    expect(gone.status).toBe(404)
    expect(JSON.parse(gone.text).errCode).toBe(404)
    expect((await chunk('old.bin', 3, first.context, Buffer.from('d'))).status).toBe(404)
  })

  it('the dropResponse fault keeps the chunk but loses its answer; the offset query tells where to go on', async () => {
    const first = json(await chunk('lost.bin', 0, undefined, Buffer.from('12345')))
    emu.setFaults({ rules: [{ match: { op: 'directUpload', keyPrefix: 'lost.bin' }, action: 'dropResponse' }] })
    try {
      await expect(chunk('lost.bin', 5, first.context, Buffer.from('678'))).rejects.toThrow(/socket hang up|ECONNRESET/)
    } finally {
      emu.setFaults()
    }
    const q = await rawSend(emu.port, 'GET', path('lost.bin', `uploadContext&context=${first.context}`), { 'x-nos-token': token('lost.bin') })
    expect(JSON.parse(q.text)).toEqual({ offset: 8 })
    const dropped = emu.requests.filter((r) => r.fault === 'dropResponse')
    expect(dropped).toMatchObject([{ op: 'directUpload', status: 0, bytesIn: 3 }])
    expect((await chunk('lost.bin', 8, first.context, Buffer.from('9'), true)).status).toBe(200)
    expect((await objectOf('lost.bin')).text).toBe('123456789')
  })
})
