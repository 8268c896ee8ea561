/**
 * The main job, end to end: start the local NOS emulator in-process, then use the SDK against it —
 * create a bucket, write and list objects, run a multipart upload with progress, presign a URL and
 * download through it with plain fetch. Run: `npm run demo`.
 */
import { startEmulator } from '../src/emulator/index.js'
import { NosClient } from '../src/node.js'

const AK = 'demoAccessKey'
const SK = 'demoSecretKey-0123456789abcdef'
const step = (n: number, text: string) => console.log(`\n[${n}] ${text}`)

const emu = await startEmulator({ port: 0, credentials: [{ accessKeyId: AK, accessKeySecret: SK }] })
console.log(`NOS emulator listening on ${emu.endpoint}`)
try {
  const client = new NosClient({ accessKeyId: AK, accessKeySecret: SK, endpoint: emu.endpoint })

  step(1, 'create bucket "demo-bucket"')
  await client.createBucket({ bucket: 'demo-bucket' })
  console.log('    buckets:', (await client.listBuckets()).buckets.map((b) => b.name).join(', '))

  step(2, 'put objects (text, JSON, a key with spaces and CJK)')
  for (const [key, body] of [['notes/hello.txt', 'hello, NOS'], ['data/config.json', { retries: 2, region: 'HZ' }], ['照片/a b.txt', '你好']] as const) {
    const r = await client.putObject({ bucket: 'demo-bucket', key, body, metadata: { author: 'demo' } })
    console.log(`    ${key.padEnd(18)} etag=${r.etag}`)
  }

  step(3, 'list with a delimiter, then every object')
  const top = await client.listObjects({ bucket: 'demo-bucket', delimiter: '/' })
  console.log('    "folders":', top.commonPrefixes.join(' '))
  for await (const o of client.iterateObjects({ bucket: 'demo-bucket' })) console.log(`    ${o.key.padEnd(18)} ${String(o.size).padStart(4)} B  ${o.lastModified.toISOString()}`)

  step(4, 'managed multipart upload of 12 MiB (4 MiB parts, 3 in flight) with progress')
  const big = new Uint8Array(12 * 1024 * 1024).map((_, i) => (i * 31) & 0xff)
  let lastParts = -1
  const up = await client.upload({
    bucket: 'demo-bucket', key: 'big/blob.bin', body: big, partSize: 4 * 1024 * 1024, concurrency: 3,
    onProgress: ({ loaded, total, partsDone, partsTotal }) => {
      if (partsDone === lastParts) return
      lastParts = partsDone
      console.log(`    ${partsDone}/${partsTotal} parts confirmed, ${Math.floor((100 * loaded) / (total ?? 1))}% of the bytes sent`)
    },
  })
  console.log(`    done: ${up.partsTotal} parts, etag=${up.etag}`)

  step(5, 'read back: head, ranged get')
  const head = await client.headObject({ bucket: 'demo-bucket', key: 'big/blob.bin' })
  console.log(`    size=${head.contentLength} type=${head.contentType}`)
  const part = await client.getObject({ bucket: 'demo-bucket', key: 'notes/hello.txt', range: { start: 0, end: 4 } })
  console.log(`    bytes 0-4 of notes/hello.txt: "${await part.text()}"`)

  step(6, 'presign a GET URL (5 minutes) and download it with plain fetch, no credentials')
  const url = await client.presignUrl({ bucket: 'demo-bucket', key: 'data/config.json', expires: 300 })
  console.log(`    ${url.replace(/Signature=[^&]+/, 'Signature=…')}`)
  const res = await fetch(url)
  console.log(`    HTTP ${res.status}: ${await res.text()}`)

  step(7, 'errors are typed: a missing key')
  try {
    await client.getObject({ bucket: 'demo-bucket', key: 'nope' })
  } catch (e) {
    const err = e as { name: string; statusCode: number; errorCode: string; requestId: string }
    console.log(`    ${err.name} status=${err.statusCode} code=${err.errorCode} requestId=${err.requestId}`)
  }

  step(8, 'clean up: delete everything, then the bucket')
  const keys: string[] = []
  for await (const o of client.iterateObjects({ bucket: 'demo-bucket' })) keys.push(o.key)
  await client.deleteObjects({ bucket: 'demo-bucket', keys })
  await client.deleteBucket({ bucket: 'demo-bucket' })
  console.log(`    deleted ${keys.length} objects and the bucket; ${emu.requests.length} requests served`)
} finally {
  await emu.close()
}
