/**
 * Figure: large uploads through `nos-sdk` as Node resolves it (src/index-node.ts: node:crypto MD5 and HMAC) against
 * raw `node:http` doing the same work, same emulator (separate process, disk-backed), same part size and concurrency,
 * in the same rounds:
 *   (a) `upload()` with defaults (Content-MD5 per part) vs a raw multipart upload that hashes each part with
 *       node:crypto before its PUT (signed with that Content-MD5), >= 0.9x;
 *   (b) `contentMd5: false` vs the raw multipart upload without hashing, >= 0.95x;
 *   (c) one `putObject` of 96 MiB with defaults vs one raw PUT that hashes the body first, >= 0.9x.
 * The emulator accepts at most 100 MiB per PUT, so 256 MiB goes up in 8 MiB parts, 4 at a time.
 */
import { createHash } from 'node:crypto'
import { NosClient } from '../src/index-node.js'
import { signHeaders } from '../src/signing/signer.js'
import { AK, BUCKET, SK, spawnEmulator } from './lib/emulator.js'
import { interleaved, pairRow } from './lib/pairs.js'
import { newAgent, pool, rawPut } from './lib/raw.js'
import { MiB, QUICK, log, mbps, pseudoRandom } from './lib/stats.js'
import type { Figure, Row } from './lib/types.js'

const PART = 8 * MiB
/** Why rows of this figure can miss (rendered into README.md when they do). */
const WHY_HASH =
  'both sides hash every part with node:crypto on the main thread (the SDK one part ahead, while the others are on the wire); ' +
  'on 2 cores shared with the emulator, which hashes and writes every part too, CPU is what runs out, and a run of the neighbour\'s ' +
  'tests swings single rounds (see the spread). Hashing on a worker thread would help only where a core is idle.'
const WHY_FETCH =
  'the SDK sends through Node\'s fetch (undici with web streams, the body in 1 MiB slices for byte progress) and the reference through ' +
  'node:http end(buffer); a node:http transport for the Node build would close the gap (the small-PUT figure shows raw node:http against raw fetch).'
const CONCURRENCY = 4
const md5hex = (b: Uint8Array) => createHash('md5').update(b).digest('hex')

/** Headers of a raw request, signed like any NOS client would (node:crypto HMAC through the SDK's signer). */
function signed(client: NosClient, key: string, headers: Record<string, string>, query?: Record<string, string>) {
  return signHeaders({ method: 'PUT', bucket: BUCKET, key, query, headers }, { accessKeyId: AK, sign: client.config.signer!, date: new Date() })
}

/** The reference: initiate, the parts as raw node:http PUTs (each hashed first when `hash`), complete. */
async function rawMultipart(client: NosClient, endpoint: string, data: Uint8Array, key: string, hash: boolean): Promise<void> {
  const agent = newAgent(CONCURRENCY)
  try {
    const { uploadId } = await client.createMultipartUpload({ bucket: BUCKET, key })
    const parts = Array.from({ length: Math.ceil(data.length / PART) }, (_, i) => data.subarray(i * PART, (i + 1) * PART))
    const etags: string[] = []
    await pool(parts, CONCURRENCY, async (part, i) => {
      const query = { partNumber: String(i + 1), uploadId }
      const headers = await signed(client, key, { 'Content-Type': 'application/octet-stream', ...(hash ? { 'Content-MD5': md5hex(part) } : {}) }, query)
      const r = await rawPut(`${endpoint}/${BUCKET}/${key}?partNumber=${i + 1}&uploadId=${uploadId}`, part, headers, agent)
      if (r.status !== 200) throw new Error(`raw part ${i + 1}: ${r.status} ${r.body?.toString()}`)
      etags[i] = String(r.headers.etag)
    })
    await client.completeMultipartUpload({ bucket: BUCKET, key, uploadId, parts: etags.map((etag, i) => ({ partNum: i + 1, etag })) })
  } finally {
    agent.destroy()
  }
}

/** One raw PUT of `body` (hashed first when `hash`), on a keep-alive agent. */
async function rawSingle(client: NosClient, endpoint: string, body: Uint8Array, hash: boolean, agent: ReturnType<typeof newAgent>): Promise<void> {
  const headers = await signed(client, 'one-raw.bin', { 'Content-Type': 'application/octet-stream', ...(hash ? { 'Content-MD5': md5hex(body) } : {}) })
  const r = await rawPut(`${endpoint}/${BUCKET}/one-raw.bin`, body, headers, agent)
  if (r.status !== 200) throw new Error(`raw PUT ${r.status}`)
}

export const uploadFigure: Figure = {
  id: 'upload',
  title: 'upload 256 MiB (multipart) and one 96 MiB PUT vs raw node:http doing the same integrity work',
  async run(): Promise<Row[]> {
    const size = QUICK ? 32 * MiB : 256 * MiB
    const single = QUICK ? 16 * MiB : 96 * MiB
    const rounds = QUICK ? 2 : 5
    const emu = await spawnEmulator({ disk: true })
    const agent = newAgent(1)
    try {
      const data = pseudoRandom(size, 7)
      const one = data.subarray(0, single)
      const client = new NosClient({ accessKeyId: AK, accessKeySecret: SK, endpoint: emu.endpoint })
      const noMd5 = new NosClient({ accessKeyId: AK, accessKeySecret: SK, endpoint: emu.endpoint, contentMd5: false })
      const up = (c: NosClient, objectMd5 = false) => () => c.upload({ bucket: BUCKET, key: 'sdk.bin', body: data, partSize: PART, concurrency: CONCURRENCY, objectMd5 })
      const variants: Record<string, () => Promise<unknown>> = {
        // Pairs side by side (lib/pairs.ts `interleaved`).
        sdk: up(client),
        rawMd5: () => rawMultipart(client, emu.endpoint, data, 'raw.bin', true),
        sdkObjectMd5: up(client, true),
        raw: () => rawMultipart(client, emu.endpoint, data, 'raw.bin', false),
        sdkNoMd5: up(noMd5),
        put: () => client.putObject({ bucket: BUCKET, key: 'one-sdk.bin', body: one }),
        putRawMd5: () => rawSingle(client, emu.endpoint, one, true, agent),
        putRaw: () => rawSingle(client, emu.endpoint, one, false, agent),
        putNoMd5: () => noMd5.putObject({ bucket: BUCKET, key: 'one-sdk.bin', body: one }),
      }
      for (const v of Object.values(variants)) await v() // warm-up: connections, JIT, the emulator's first writes
      // CPU of the client and of the emulator per run, against the wall time: near 2 cores busy means CPU-bound.
      const cpu: Record<string, { client: number[]; emulator: number[] }> = {}
      const measured = Object.fromEntries(Object.entries(variants).map(([name, fn]) => [name, async () => {
        const e0 = (await emu.usage()).cpu
        const c0 = process.cpuUsage()
        await fn()
        const c = process.cpuUsage(c0)
        const e1 = (await emu.usage()).cpu
        const got = (cpu[name] ??= { client: [], emulator: [] })
        got.client.push(Math.round((c.user + c.system) / 1000))
        got.emulator.push(Math.round((e1.user + e1.system - e0.user - e0.system) / 1000))
      }]))
      const ms = await interleaved(measured, rounds, (r, got) =>
        log(`upload round ${r + 1}/${rounds}: ` + Object.entries(got).map(([n, t]) => `${n} ${mbps(n.startsWith('put') ? single : size, t.at(-1)!).toFixed(0)}`).join(', ') + ' MB/s'),
      )
      const big = (t: number) => `${mbps(size, t).toFixed(0)} MB/s`
      const small = (t: number) => `${mbps(single, t).toFixed(0)} MB/s`
      const common = { partSize: PART, concurrency: CONCURRENCY, bytes: size, cpuMs: cpu }
      const label = `${size / MiB} MiB`
      return [
        pairRow({ figure: `upload ${label}: upload() defaults (Content-MD5 per part) vs raw node:http + MD5 per part`, oursMs: ms.sdk!, refMs: ms.rawMd5!, show: big, min: 0.9, details: common, why: WHY_HASH }),
        pairRow({ figure: `upload ${label}: upload() contentMd5:false vs raw node:http, no hashing`, oursMs: ms.sdkNoMd5!, refMs: ms.raw!, show: big, min: 0.95, details: common, why: WHY_FETCH }),
        pairRow({ figure: `upload ${label}: upload() objectMd5:true (a second MD5 pass) vs raw + MD5 per part`, oursMs: ms.sdkObjectMd5!, refMs: ms.rawMd5!, show: big, details: common }),
        pairRow({ figure: `upload ${label}: raw + MD5 per part vs raw without (what hashing costs here)`, oursMs: ms.rawMd5!, refMs: ms.raw!, show: big, details: common }),
        pairRow({ figure: `put ${single / MiB} MiB: putObject defaults (Content-MD5) vs raw PUT + MD5`, oursMs: ms.put!, refMs: ms.putRawMd5!, show: small, min: 0.9, details: { bytes: single }, why: WHY_FETCH }),
        pairRow({ figure: `put ${single / MiB} MiB: putObject contentMd5:false vs raw PUT`, oursMs: ms.putNoMd5!, refMs: ms.putRaw!, show: small, details: { bytes: single } }),
      ]
    } finally {
      agent.destroy()
      await emu.close()
    }
  },
}
