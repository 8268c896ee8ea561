/**
 * nos-sdk in Bun: put an object (a `Bun.file`, which is a Blob), read it back, presign a URL and fetch it.
 *
 *   NOS_ENDPOINT=http://127.0.0.1:9000 NOS_ACCESS_KEY_ID=AK NOS_ACCESS_KEY_SECRET=SK NOS_BUCKET=my-bucket \
 *     bun examples/bun/main.ts
 *
 * For a local NOS: `npx nos-emulator --port 9000 --access-key AK --secret-key SK --bucket my-bucket`.
 */
import { NosClient } from 'nos-sdk'

// Bun's own types come with `bun-types`; this line only keeps the repository's type-check (Node types) happy.
declare const Bun: { version: string; file(path: string | URL, options?: { type?: string }): Blob }

const { NOS_ENDPOINT, NOS_ACCESS_KEY_ID, NOS_ACCESS_KEY_SECRET, NOS_BUCKET } = process.env
if (!NOS_ENDPOINT || !NOS_ACCESS_KEY_ID || !NOS_ACCESS_KEY_SECRET || !NOS_BUCKET) {
  console.error('Set NOS_ENDPOINT, NOS_ACCESS_KEY_ID, NOS_ACCESS_KEY_SECRET and NOS_BUCKET.')
  process.exit(2)
}

const client = new NosClient({ endpoint: NOS_ENDPOINT, accessKeyId: NOS_ACCESS_KEY_ID, accessKeySecret: NOS_ACCESS_KEY_SECRET })
const bucket = NOS_BUCKET
const key = `examples/bun/hello-${Date.now()}.txt`

const { etag } = await client.putObject({ bucket, key, body: `Hello from Bun ${Bun.version}`, contentType: 'text/plain' })
console.log(`put     ${key} etag=${etag}`)

const object = await client.getObject({ bucket, key })
console.log(`get     ${await object.text()}`)

// A Bun.file is a Blob: it is sent as it is, with its size known up front.
const source = await client.putObject({ bucket, key: `${key}.source.ts`, body: Bun.file(new URL(import.meta.url), { type: 'text/plain' }) })
console.log(`put     ${key}.source.ts etag=${source.etag}`)

const url = await client.presignUrl({ bucket, key, expires: 600 })
console.log(`presign ${url}`)
const res = await fetch(url)
console.log(`fetch   ${res.status} ${await res.text()}`)
