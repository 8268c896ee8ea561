/**
 * nos-sdk in Node: put an object, read it back, presign a download URL and fetch it.
 *
 *   NOS_ENDPOINT=http://127.0.0.1:9000 NOS_ACCESS_KEY_ID=AK NOS_ACCESS_KEY_SECRET=SK NOS_BUCKET=my-bucket \
 *     node examples/node/main.mjs
 *
 * For a local NOS: `npx nos-emulator --port 9000 --access-key AK --secret-key SK --bucket my-bucket`.
 * (In Node, `import { NosClient } from 'nos-sdk/node'` adds file uploads and node:crypto MD5.)
 */
import { NosClient } from 'nos-sdk'

const { NOS_ENDPOINT, NOS_ACCESS_KEY_ID, NOS_ACCESS_KEY_SECRET, NOS_BUCKET } = process.env
if (!NOS_ENDPOINT || !NOS_ACCESS_KEY_ID || !NOS_ACCESS_KEY_SECRET || !NOS_BUCKET) {
  console.error('Set NOS_ENDPOINT, NOS_ACCESS_KEY_ID, NOS_ACCESS_KEY_SECRET and NOS_BUCKET.')
  process.exit(2)
}

const client = new NosClient({ endpoint: NOS_ENDPOINT, accessKeyId: NOS_ACCESS_KEY_ID, accessKeySecret: NOS_ACCESS_KEY_SECRET })
const bucket = NOS_BUCKET
const key = `examples/node/hello-${Date.now()}.txt`

const { etag } = await client.putObject({ bucket, key, body: `Hello from Node ${process.version}`, contentType: 'text/plain' })
console.log(`put     ${key} etag=${etag}`)

const object = await client.getObject({ bucket, key })
console.log(`get     ${await object.text()}`)

// Anyone holding this URL can GET the object for 10 minutes; no credentials needed.
const url = await client.presignUrl({ bucket, key, expires: 600 })
console.log(`presign ${url}`)
const res = await fetch(url)
console.log(`fetch   ${res.status} ${await res.text()}`)
