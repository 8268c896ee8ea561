/**
 * Figure: large uploads through the SDK (Node client: node:crypto MD5) against raw `node:http` PUTs of the same
 * bytes to the same emulator (separate process, disk-backed). Target (issue 7): >= 0.9x.
 *
 * The emulator accepts at most 100 MiB per PUT, so 256 MiB can only go up as a multipart upload: the reference is
 * the same multipart upload done by hand (initiate, the same 8 MiB parts 4 at a time as raw node:http PUTs to
 * presigned part URLs, complete). A single-request row (putObject vs one raw PUT) isolates fetch against node:http.
 */
import { NosClient } from '../src/node.js'
import { signHeaders } from '../src/signer.js'
import { AK, BUCKET, SK, spawnEmulator, type RemoteEmulator } from './lib/emulator.js'
import { newAgent, pool, rawPut } from './lib/raw.js'
import { MiB, QUICK, log, mbps, median, pseudoRandom } from './lib/stats.js'
import type { Figure, Row } from './lib/types.js'
import { createHash } from 'node:crypto'

const PART = 8 * MiB
const CONCURRENCY = 4

interface Sample { ms: number; clientCpuMs: number; emulatorCpuMs: number }

async function measure(emu: RemoteEmulator, fn: () => Promise<unknown>): Promise<Sample> {
  const e0 = (await emu.usage()).cpu
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  await fn()
  const ms = performance.now() - t0
  const c = process.cpuUsage(c0)
  const e1 = (await emu.usage()).cpu
  return { ms, clientCpuMs: (c.user + c.system) / 1000, emulatorCpuMs: (e1.user + e1.system - e0.user - e0.system) / 1000 }
}

/** The reference: a hand-made multipart upload with raw node:http part PUTs (presigned URLs). */
async function rawMultipart(client: NosClient, data: Uint8Array, key: string): Promise<void> {
  const agent = newAgent(CONCURRENCY)
  try {
    const { uploadId } = await client.createMultipartUpload({ bucket: BUCKET, key })
    const n = Math.ceil(data.length / PART)
    const urls = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        client.presignUrl({ method: 'PUT', bucket: BUCKET, key, contentType: 'application/octet-stream', subResources: { partNumber: String(i + 1), uploadId } }),
      ),
    )
    const etags: string[] = []
    await pool(urls, CONCURRENCY, async (url, i) => {
      const r = await rawPut(url, data.subarray(i * PART, (i + 1) * PART), { 'Content-Type': 'application/octet-stream' }, agent)
      if (r.status !== 200) throw new Error(`raw part ${i + 1}: ${r.status} ${r.body?.toString()}`)
      etags[i] = String(r.headers.etag)
    })
    await client.completeMultipartUpload({ bucket: BUCKET, key, uploadId, parts: etags.map((etag, i) => ({ partNum: i + 1, etag })) })
  } finally {
    agent.destroy()
  }
}

function summarize(samples: Sample[], bytes: number) {
  const ms = median(samples.map((s) => s.ms))
  return {
    mbps: mbps(bytes, ms),
    ms,
    clientCpuMs: median(samples.map((s) => s.clientCpuMs)),
    emulatorCpuMs: median(samples.map((s) => s.emulatorCpuMs)),
    rounds: samples.map((s) => Math.round(s.ms)),
  }
}

export const uploadFigure: Figure = {
  id: 'upload',
  title: 'upload 256 MiB (multipart) and one 64 MiB PUT vs raw node:http',
  async run(): Promise<Row[]> {
    const size = QUICK ? 32 * MiB : 256 * MiB
    const single = QUICK ? 16 * MiB : 64 * MiB
    const rounds = QUICK ? 2 : 5
    const emu = await spawnEmulator({ disk: true })
    try {
      const data = pseudoRandom(size, 7)
      const client = new NosClient({ accessKeyId: AK, accessKeySecret: SK, endpoint: emu.endpoint })
      const noMd5 = new NosClient({ accessKeyId: AK, accessKeySecret: SK, endpoint: emu.endpoint, contentMd5: false })
      const variants: Record<string, () => Promise<unknown>> = {
        raw: () => rawMultipart(client, data, 'raw.bin'),
        sdk: () => client.upload({ bucket: BUCKET, key: 'sdk.bin', body: data, partSize: PART, concurrency: CONCURRENCY }),
        sdkObjectMd5: () => client.upload({ bucket: BUCKET, key: 'sdk.bin', body: data, partSize: PART, concurrency: CONCURRENCY, objectMd5: true }),
        sdkNoMd5: () => noMd5.upload({ bucket: BUCKET, key: 'sdk.bin', body: data, partSize: PART, concurrency: CONCURRENCY, objectMd5: false }),
      }
      // Single request: putObject (Content-MD5, node:crypto) vs one raw PUT with a precomputed signed header.
      const one = data.subarray(0, single)
      const oneMd5 = createHash('md5').update(one).digest('hex')
      const rawAgent = newAgent(1)
      const rawSingle = async () => {
        const headers = await signHeaders(
          { method: 'PUT', bucket: BUCKET, key: 'one-raw.bin', headers: { 'Content-Type': 'application/octet-stream', 'Content-MD5': oneMd5 } },
          { accessKeyId: AK, sign: client.config.signer!, date: new Date() },
        )
        return { headers, url: `${emu.endpoint}/${BUCKET}/one-raw.bin` }
      }
      const singles: Record<string, () => Promise<unknown>> = {
        raw: async () => {
          const { headers, url } = await rawSingle() // signing (~0.1 ms) is not worth excluding
          const r = await rawPut(url, one, headers, rawAgent)
          if (r.status !== 200) throw new Error(`raw PUT ${r.status}`)
        },
        sdk: () => client.putObject({ bucket: BUCKET, key: 'one-sdk.bin', body: one }),
        sdkNoMd5: () => noMd5.putObject({ bucket: BUCKET, key: 'one-sdk.bin', body: one }),
      }
      // Warm-up: connections, JIT, the emulator's first writes.
      await variants.raw!()
      await variants.sdk!()
      const got: Record<string, Sample[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]))
      const gotSingle: Record<string, Sample[]> = Object.fromEntries(Object.keys(singles).map((k) => [k, []]))
      for (let r = 0; r < rounds; r++) {
        // Interleaved, rotating the order each round so drift on a shared machine hits every variant alike.
        const names = Object.keys(variants)
        for (let i = 0; i < names.length; i++) {
          const name = names[(i + r) % names.length]!
          got[name]!.push(await measure(emu, variants[name]!))
        }
        for (const name of Object.keys(singles)) gotSingle[name]!.push(await measure(emu, singles[name]!))
        log(`upload round ${r + 1}/${rounds}: ` + names.map((n) => `${n} ${mbps(size, got[n]!.at(-1)!.ms).toFixed(0)}`).join(', ') + ' MB/s')
      }
      rawAgent.destroy()
      const s = Object.fromEntries(Object.entries(got).map(([k, v]) => [k, summarize(v, size)]))
      const s1 = Object.fromEntries(Object.entries(gotSingle).map(([k, v]) => [k, summarize(v, single)]))
      const label = `${size / MiB} MiB`
      const row = (figure: string, ours: ReturnType<typeof summarize>, ref: ReturnType<typeof summarize>, note: string): Row => ({
        figure,
        ours: `${ours.mbps.toFixed(0)} MB/s`,
        reference: `${ref.mbps.toFixed(0)} MB/s`,
        ratio: ours.mbps / ref.mbps,
        target: '>= 0.9x',
        pass: ours.mbps / ref.mbps >= 0.9,
        details: { note, ours, reference: ref, partSize: PART, concurrency: CONCURRENCY, bytes: size },
      })
      return [
        row(`upload ${label}: upload() default (Content-MD5 per part)`, s.sdk!, s.raw!, 'SDK defaults: Content-MD5 on every part (node:crypto)'),
        row(`upload ${label}: upload() objectMd5:true`, s.sdkObjectMd5!, s.raw!, 'Content-MD5 per part and x-nos-object-md5 (a second MD5 pass over every byte)'),
        row(`upload ${label}: upload() no MD5`, s.sdkNoMd5!, s.raw!, 'contentMd5:false client, objectMd5:false: no hashing in the client'),
        {
          ...row(`put ${single / MiB} MiB: putObject (Content-MD5)`, s1.sdk!, s1.raw!, 'one request; the raw PUT carries the same precomputed Content-MD5'),
          target: 'info (>= 0.9x)',
          pass: undefined,
        },
        {
          ...row(`put ${single / MiB} MiB: putObject contentMd5:false`, s1.sdkNoMd5!, s1.raw!, 'one request, fetch with 1 MiB slices vs node:http end(buffer)'),
          target: 'info (>= 0.9x)',
          pass: undefined,
        },
      ]
    } finally {
      await emu.close()
    }
  },
}
