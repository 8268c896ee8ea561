/**
 * nos-sdk in Deno: put an object, read it back, presign a URL and fetch it.
 *
 *   NOS_ENDPOINT=http://127.0.0.1:9000 NOS_ACCESS_KEY_ID=AK NOS_ACCESS_KEY_SECRET=SK NOS_BUCKET=my-bucket \
 *     deno run --allow-env=NOS_ENDPOINT,NOS_ACCESS_KEY_ID,NOS_ACCESS_KEY_SECRET,NOS_BUCKET \
 *              --allow-net=127.0.0.1:9000 examples/deno/main.ts
 *
 * The SDK needs no permission of its own: only network access to the endpoint and the four variables above.
 * Inside this repository add `--allow-read=.` (Deno reads nos-sdk from ./dist and ./node_modules); elsewhere,
 * import `npm:nos-sdk` (or map `nos-sdk` in deno.json).
 * For a local NOS: `npx nos-emulator --port 9000 --access-key AK --secret-key SK --bucket my-bucket`.
 */
import { NosClient } from 'nos-sdk'

// Deno's types are built into `deno check`; this line only keeps the repository's type-check (Node types) happy.
declare const Deno: { version: { deno: string }; env: { get(name: string): string | undefined }; exit(code: number): never }

const env = (name: string): string => {
  const value = Deno.env.get(name)
  if (!value) {
    console.error('Set NOS_ENDPOINT, NOS_ACCESS_KEY_ID, NOS_ACCESS_KEY_SECRET and NOS_BUCKET.')
    Deno.exit(2)
  }
  return value
}

const client = new NosClient({ endpoint: env('NOS_ENDPOINT'), accessKeyId: env('NOS_ACCESS_KEY_ID'), accessKeySecret: env('NOS_ACCESS_KEY_SECRET') })
const bucket = env('NOS_BUCKET')
const key = `examples/deno/hello-${Date.now()}.txt`

const { etag } = await client.putObject({ bucket, key, body: `Hello from Deno ${Deno.version.deno}`, contentType: 'text/plain' })
console.log(`put     ${key} etag=${etag}`)

const object = await client.getObject({ bucket, key })
console.log(`get     ${await object.text()}`)

const url = await client.presignUrl({ bucket, key, expires: 600 })
console.log(`presign ${url}`)
const res = await fetch(url)
console.log(`fetch   ${res.status} ${await res.text()}`)
