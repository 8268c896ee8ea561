/**
 * An edge function (Cloudflare Workers style: `export default { fetch }`) that hands out presigned upload URLs.
 * The secret stays in the function's environment; the browser PUTs the file straight to NOS.
 *
 *   GET /presign?name=photo.png&type=image/png
 *     -> 200 { key, put: { url, method, headers, expiresAt }, get }
 *   then, in the browser:  fetch(put.url, { method: 'PUT', headers: put.headers, body: file })
 *
 * The Content-Type is signed into the PUT URL, so the uploader must send exactly that type. Keys are confined
 * to `uploads/`. Runs on web APIs alone: no `nodejs_compat` flag (see wrangler.toml). The bucket needs a CORS
 * rule for the page's origin (PUT, GET; expose ETag).
 */
import { NosClient } from 'nos-sdk'

const KEY_PREFIX = 'uploads/'
const PUT_EXPIRES = 300
const GET_EXPIRES = 3600

const CORS = { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, OPTIONS' }
const json = (status, body) => Response.json(body, { status, headers: CORS })

// Created on the first request: `env` exists only inside fetch, and Workers forbid I/O at global scope.
let client

export default {
  async fetch(request, env) {
    const url = new URL(request.url)
    if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS })
    if (request.method !== 'GET' || url.pathname !== '/presign') return json(404, { error: 'use GET /presign?name=...&type=...' })

    const name = url.searchParams.get('name') ?? ''
    const type = url.searchParams.get('type') || 'application/octet-stream'
    if (!/^[\w][\w .-]{0,199}$/.test(name)) return json(400, { error: 'name: 1-200 characters among letters, digits, _ . - and space' })

    client ??= new NosClient({ endpoint: env.NOS_ENDPOINT, accessKeyId: env.NOS_ACCESS_KEY_ID, accessKeySecret: env.NOS_ACCESS_KEY_SECRET })
    const key = KEY_PREFIX + name
    const put = await client.presignRequest({ method: 'PUT', bucket: env.NOS_BUCKET, key, contentType: type, expires: PUT_EXPIRES })
    const get = await client.presignUrl({ bucket: env.NOS_BUCKET, key, expires: GET_EXPIRES })
    return json(200, { key, put, get })
  },
}
