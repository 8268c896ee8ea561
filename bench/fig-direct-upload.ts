/**
 * Figure: `directUpload` of 128 MiB (1 MiB chunks, the default, and 4 MiB) against raw `fetch` POSTing the same
 * chunks in sequence with the same token (no MD5, no checkpoint): what the SDK's chunk loop, whole-body MD5 and
 * streaming cost. Direct upload is sequential by protocol (each chunk starts at the offset NOS acknowledged).
 * Emulator in a separate process, in memory. Target: >= 0.8x of raw.
 */
import { createNodeMd5, createUploadToken, directUpload } from '../src/node.js'
import { AK, BUCKET, SK, spawnEmulator } from './lib/emulator.js'
import { MiB, QUICK, log, mbps, median, pseudoRandom } from './lib/stats.js'
import type { Figure, Row } from './lib/types.js'

/** The chunks sent one after the other with plain fetch, as the protocol requires and nothing more. */
async function raw(endpoint: string, token: string, key: string, body: Uint8Array, chunk: number): Promise<void> {
  let context = ''
  for (let off = 0; off < body.length; off += chunk) {
    const part = body.subarray(off, off + chunk)
    const q = `offset=${off}&complete=${off + chunk >= body.length}${context ? `&context=${context}` : ''}&version=1.0`
    const res = await fetch(`${endpoint}/${BUCKET}/${encodeURIComponent(key)}?${q}`, { method: 'POST', headers: { 'x-nos-token': token }, body: part as Uint8Array<ArrayBuffer> })
    const json = (await res.json()) as { context: string }
    if (res.status !== 200) throw new Error(`raw chunk ${res.status}`)
    context = json.context
  }
}

export const directUploadFigure: Figure = {
  id: 'direct-upload',
  title: 'directUpload 128 MiB vs raw sequential chunk POSTs',
  async run(): Promise<Row[]> {
    const size = (QUICK ? 32 : 128) * MiB
    const rounds = QUICK ? 1 : 5
    const body = pseudoRandom(size, 17)
    const emu = await spawnEmulator()
    const rows: Row[] = []
    try {
      for (const chunk of [MiB, 4 * MiB]) {
        const ms: Record<'sdk' | 'raw', number[]> = { sdk: [], raw: [] }
        for (let r = 0; r < rounds; r++) {
          for (const name of r % 2 ? (['sdk', 'raw'] as const) : (['raw', 'sdk'] as const)) {
            const key = `direct/${name}-${chunk}-${r}.bin`
            const token = await createUploadToken({ accessKeyId: AK, accessKeySecret: SK, bucket: BUCKET, key })
            const t0 = performance.now()
            if (name === 'raw') await raw(emu.endpoint, token, key, body, chunk)
            else await directUpload({ token, bucket: BUCKET, key, body, endpoint: emu.endpoint, chunkSize: chunk, md5: createNodeMd5 })
            ms[name].push(performance.now() - t0)
          }
          log(`direct upload ${chunk / MiB} MiB chunks, round ${r + 1}/${rounds}: raw ${ms.raw.at(-1)!.toFixed(0)} ms, sdk ${ms.sdk.at(-1)!.toFixed(0)} ms`)
        }
        const ours = mbps(size, median(ms.sdk))
        const ref = mbps(size, median(ms.raw))
        rows.push({
          figure: `direct upload ${size / MiB} MiB, ${chunk / MiB} MiB chunks: directUpload (whole-body MD5)`,
          ours: `${ours.toFixed(0)} MB/s`,
          reference: `raw fetch chunks ${ref.toFixed(0)} MB/s`,
          ratio: ours / ref,
          target: '>= 0.8x',
          pass: ours / ref >= 0.8,
          details: { roundsMs: ms, size, chunk },
        })
      }
      return rows
    } finally {
      await emu.close()
    }
  },
}
