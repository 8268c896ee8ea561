/**
 * Figure: request signing throughput in Node, one request after the other as a caller awaiting each would:
 * `signHeaders` with the signer of the `nos-sdk/node` client (the target row), and with the core's Web Crypto
 * signer (`createHmacSigner`, cached CryptoKey: what browsers and edge runtimes use). Plus 10,000 presigned URLs
 * through the Node client. Targets: >= 20,000 signatures/s; 10,000 presigned URLs in < 1 s.
 *
 * In Node every `crypto.subtle.sign` is a libuv thread-pool job: an awaited signature costs a thread hand-off
 * both ways, ~25-80 us depending on how idle the CPUs are, which bounds one-at-a-time signing.
 */
import { NosClient } from '../src/node.js'
import { createHmacSigner, signHeaders, type SignFunction } from '../src/signing/signer.js'
import { AK, SK } from './lib/emulator.js'
import { QUICK, median } from './lib/stats.js'
import type { Figure, Row } from './lib/types.js'

export const signFigure: Figure = {
  id: 'sign',
  title: 'signing and presigning in Node',
  async run(): Promise<Row[]> {
    const rounds = QUICK ? 2 : 5
    const n = QUICK ? 5000 : 20000
    const presignN = QUICK ? 2000 : 10000
    const webCrypto = createHmacSigner(SK)
    const client = new NosClient({ accessKeyId: AK, accessKeySecret: SK, endpoint: 'http://127.0.0.1:9' })
    const nodeSigner = client.config.signer!
    const date = new Date()
    const keys = Array.from({ length: n }, (_, i) => `photos/2026/11/25/IMG_${String(i).padStart(6, '0')} (edited).jpg`)
    const headers = { 'Content-Type': 'image/jpeg', 'Content-MD5': '5d41402abc4b2a76b9719d911017c592', 'x-nos-meta-owner': 'bench' }
    const sequential = (sign: SignFunction) => async () => {
      for (const key of keys) await signHeaders({ method: 'PUT', bucket: 'bench', key, headers }, { accessKeyId: AK, sign, date })
    }
    const batched = async () => {
      for (let i = 0; i < keys.length; i += 256) {
        await Promise.all(keys.slice(i, i + 256).map((key) => signHeaders({ method: 'PUT', bucket: 'bench', key, headers }, { accessKeyId: AK, sign: webCrypto, date })))
      }
    }
    const presign = async () => {
      for (let i = 0; i < presignN; i++) await client.presignUrl({ method: 'GET', bucket: 'bench', key: keys[i % keys.length]!, expires: 3600 })
    }
    const fns: Record<string, () => Promise<void>> = { node: sequential(nodeSigner), webCrypto: sequential(webCrypto), batched, presign }
    const ms: Record<string, number[]> = Object.fromEntries(Object.keys(fns).map((k) => [k, []]))
    for (const f of Object.values(fns)) await f() // warm-up
    for (let r = 0; r < rounds; r++) {
      for (const [name, f] of Object.entries(fns)) {
        const t0 = performance.now()
        await f()
        ms[name]!.push(performance.now() - t0)
      }
    }
    const rate = (k: string) => n / (median(ms[k]!) / 1000)
    const fmt = (x: number) => `${Math.round(x).toLocaleString('en-US')} req/s`
    const presignMs = median(ms.presign!)
    const presignAt10k = (presignMs * 10000) / presignN
    return [
      {
        figure: 'signHeaders, nos-sdk/node client signer, one at a time',
        ours: fmt(rate('node')),
        reference: '',
        target: '>= 20,000 req/s',
        pass: rate('node') >= 20000,
        details: { roundsMs: ms.node, n, sameAsWebCrypto: nodeSigner === webCrypto },
      },
      {
        figure: 'signHeaders, Web Crypto signer (core), one at a time',
        ours: fmt(rate('webCrypto')),
        reference: '',
        target: 'info',
        details: { roundsMs: ms.webCrypto, n },
      },
      {
        figure: 'signHeaders, Web Crypto signer, 256 in parallel',
        ours: fmt(rate('batched')),
        reference: '',
        target: 'info',
        details: { roundsMs: ms.batched, n },
      },
      {
        figure: `presignUrl x 10,000 (nos-sdk/node client)${presignN !== 10000 ? `, scaled from ${presignN}` : ''}`,
        ours: `${presignAt10k.toFixed(0)} ms`,
        reference: '',
        target: '< 1000 ms',
        pass: presignAt10k < 1000,
        details: { roundsMs: ms.presign, n: presignN },
      },
    ]
  },
}
