/**
 * Child of `fig-peer.ts`: one operation by one client, in a fresh process, so that its peak RSS is its own. Bundled
 * with esbuild (CommonJS: the peer is CommonJS) and run by plain `node`. A small operation of the same kind runs first
 * (`coldMs`: loading code, first connection), then the timed one. Prints `{ ms, coldMs, maxRssMiB }` as the last line.
 *
 *   node peer-child.cjs '{"side":"ours"|"peer","op":"small-puts"|"multipart"|"download"|"list","endpoint":...}'
 */
import { Readable } from 'node:stream'
import { NosClient as Peer } from '@xgheaven/nos-node-sdk'
import { NosClient } from '../src/index-node.js'

interface Args { side: 'ours' | 'peer'; op: string; endpoint: string; ak: string; sk: string; bucket: string; size: number; count: number }
const a = JSON.parse(process.argv[2]!) as Args
const MiB = 1024 * 1024

/** `size` bytes as a Node stream of 64 KiB chunks (one 1 MiB pseudo-random block repeated: no big buffer held). */
function source(size: number): Readable {
  const block = new Uint8Array(MiB)
  for (let i = 0, x = 7; i < block.length; i++) block[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24
  return Readable.from((function* () {
    for (let off = 0; off < size; off += 64 * 1024) yield Buffer.from(block.buffer, off % MiB, Math.min(64 * 1024, size - off))
  })())
}

async function pool<T>(items: T[], limit: number, fn: (x: T) => Promise<unknown>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await fn(items[next++]!)
  }))
}

async function drain(stream: AsyncIterable<Uint8Array>): Promise<number> {
  let n = 0
  for await (const c of stream) n += c.length
  return n
}

function ops(): Record<string, () => Promise<unknown>> {
  const ours = new NosClient({ accessKeyId: a.ak, accessKeySecret: a.sk, endpoint: a.endpoint })
  const peer = new Peer({ accessKey: a.ak, accessSecret: a.sk, endpoint: a.endpoint, defaultBucket: a.bucket })
  const body = new Uint8Array(1024).fill(1)
  const keys = Array.from({ length: a.count }, (_, i) => `peer-small/${a.side}/${String(i).padStart(5, '0')}.bin`)
  const bucket = a.bucket
  return {
    'ours small-puts': () => pool(keys, 16, (key) => ours.putObject({ bucket, key, body })),
    'peer small-puts': () => pool(keys, 16, (key) => peer.putObject({ bucket, objectKey: key, body: Buffer.from(body) })),
    'ours multipart': () => ours.upload({ bucket, key: 'peer-big-ours.bin', body: source(a.size), partSize: 8 * MiB, concurrency: 4 }),
    'peer multipart': () => peer.putBigObject({ bucket, objectKey: 'peer-big-peer.bin', body: source(a.size), maxPart: 8 * MiB, parallel: 4 }),
    'ours download': async () => check(await drain((await ours.getObject({ bucket, key: 'peer-download.bin' })).body as unknown as AsyncIterable<Uint8Array>)),
    'peer download': async () => check(await drain((await peer.getObject({ bucket, objectKey: 'peer-download.bin', encode: 'stream' })) as AsyncIterable<Uint8Array>)),
    // Warm-ups: one small operation of the same kind, so that the timed one measures the client, not loading its code.
    'ours warm small-puts': () => ours.putObject({ bucket, key: 'peer-warm', body }),
    'peer warm small-puts': () => peer.putObject({ bucket, objectKey: 'peer-warm', body: Buffer.from(body) }),
    'ours warm multipart': () => ours.upload({ bucket, key: 'peer-warm.bin', body: source(200 * 1024), partSize: 128 * 1024, concurrency: 4 }),
    'peer warm multipart': () => peer.putBigObject({ bucket, objectKey: 'peer-warm.bin', body: source(200 * 1024), maxPart: 128 * 1024, parallel: 4 }),
    'ours warm download': async () => drain((await ours.getObject({ bucket, key: 'peer-warm-download.bin' })).body as unknown as AsyncIterable<Uint8Array>),
    'peer warm download': async () => drain((await peer.getObject({ bucket, objectKey: 'peer-warm-download.bin', encode: 'stream' })) as AsyncIterable<Uint8Array>),
    'ours warm list': () => ours.listObjects({ bucket, prefix: 'peer-list/', limit: 10 }),
    'peer warm list': () => peer.listObject({ bucket, prefix: 'peer-list/', limit: 10 }),
    'ours list': async () => checkList((await ours.listObjects({ bucket, prefix: 'peer-list/', limit: 1000 })).contents.length),
    'peer list': async () => checkList((await peer.listObject({ bucket, prefix: 'peer-list/', limit: 1000 })).items.length),
  }
}

function check(n: number): void {
  if (n !== a.size) throw new Error(`${a.side} downloaded ${n} bytes, expected ${a.size}`)
}
function checkList(n: number): void {
  if (n !== a.count) throw new Error(`${a.side} listed ${n} keys, expected ${a.count}`)
}

async function main(): Promise<void> {
  // Peak RSS sampled here: getrusage's maxRSS of a spawned child starts at its parent's peak (Linux folds the forked
  // memory's high-water mark in at exec), so it read 308 MiB for both clients after the bench's big figures.
  let peak = process.memoryUsage().rss
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10)
  const all = ops()
  const op = all[`${a.side} ${a.op}`]
  if (!op) throw new Error(`unknown op ${a.side} ${a.op}`)
  const t00 = performance.now()
  await all[`${a.side} warm ${a.op}`]!()
  const coldMs = performance.now() - t00
  const t0 = performance.now()
  await op()
  const ms = performance.now() - t0
  clearInterval(sampler)
  peak = Math.max(peak, process.memoryUsage().rss)
  process.stdout.write(JSON.stringify({ ms, coldMs, maxRssMiB: peak / 1024 / 1024 }) + '\n')
}

main().catch((e) => {
  process.stderr.write(`${(e as Error)?.stack ?? e}\n`)
  process.exit(1)
})
