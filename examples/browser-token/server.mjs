/**
 * The token-flow example's server: serves the page and nos-sdk's direct-upload bundle, and hands the page upload
 * tokens for keys under `browser-direct/` only (createUploadTokenHandler), so the secret never leaves this process.
 * The page then uploads straight to NOS's edge nodes, resumably.
 *
 *   NOS_ENDPOINT=http://127.0.0.1:9000 NOS_ACCESS_KEY_ID=AK NOS_ACCESS_KEY_SECRET=SK NOS_BUCKET=my-bucket \
 *     node examples/browser-token/server.mjs [port]          # then open the printed address
 *
 * For a local NOS: `npx nos-emulator --port 9000 --access-key AK --secret-key SK --bucket my-bucket --cors permissive`
 * (with the emulator, the page asks the emulator's own LBS: NOS_LBS_ENDPOINT defaults to NOS_ENDPOINT + '/lbs';
 * with real NOS leave NOS_ENDPOINT unset there: the SDK's default LBS is NOS's).
 *
 * Routes: GET / (index.html), /app.js, /nos-sdk/* (the SDK's dist/ folder), GET /api/config -> { lbsEndpoint },
 *         POST /api/upload-token { key, size } -> { token, bucket, key, expiresAt } (403 outside the policy)
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { dirname, extname, join, normalize, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createUploadTokenHandler } from 'nos-sdk'

const HERE = dirname(fileURLToPath(import.meta.url))
/** The SDK's dist/ folder, wherever nos-sdk is installed (here: this repository, by its own package name). */
const SDK_DIST = dirname(fileURLToPath(import.meta.resolve('nos-sdk/browser')))
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.map': 'application/json' }

async function toRequest(req) {
  const chunks = []
  for await (const c of req) chunks.push(c)
  return new Request(new URL(req.url, 'http://localhost'), { method: req.method, headers: req.headers, body: req.method === 'POST' ? Buffer.concat(chunks) : undefined })
}

/**
 * Starts the server. Resolves to `{ url, close }`.
 * @param {{ port?: number, host?: string, accessKeyId: string, accessKeySecret: string, bucket: string, lbsEndpoint?: string }} options
 */
export async function startServer({ port = 0, host = '127.0.0.1', accessKeyId, accessKeySecret, bucket, lbsEndpoint }) {
  // Tokens for one bucket, keys under browser-direct/, files up to 1 GiB, valid 15 minutes. Put your own user check
  // in front of this route (and a per-user prefix in the policy) in a real application.
  const tokens = createUploadTokenHandler({ accessKeyId, accessKeySecret }, { buckets: [bucket], keyPrefixes: ['browser-direct/'], maxSize: 2 ** 30, expires: 900 })
  const send = (res, status, type, body) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' })
    res.end(body)
  }
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost')
    try {
      if (url.pathname === '/' || url.pathname === '/index.html') return send(res, 200, TYPES['.html'], readFileSync(join(HERE, 'index.html')))
      if (url.pathname === '/app.js') return send(res, 200, TYPES['.js'], readFileSync(join(HERE, 'app.js')))
      if (url.pathname === '/api/config') return send(res, 200, 'application/json', JSON.stringify({ lbsEndpoint }))
      if (url.pathname === '/api/upload-token' && req.method === 'POST') {
        const answer = await tokens(await toRequest(req))
        return send(res, answer.status, 'application/json', await answer.text())
      }
      if (url.pathname.startsWith('/nos-sdk/')) {
        const file = normalize(join(SDK_DIST, decodeURIComponent(url.pathname.slice('/nos-sdk/'.length))))
        if (file.startsWith(SDK_DIST + sep) && existsSync(file) && statSync(file).isFile()) {
          res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
          return createReadStream(file).pipe(res)
        }
      }
      send(res, 404, 'text/plain', 'not found')
    } catch (e) {
      send(res, 500, 'text/plain', String(e?.message ?? e))
    }
  })
  await new Promise((ok, fail) => server.once('error', fail).listen(port, host, ok))
  return {
    url: `http://${host}:${server.address().port}`,
    close: () => new Promise((ok) => (server.closeAllConnections(), server.close(() => ok()))),
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { NOS_ENDPOINT, NOS_ACCESS_KEY_ID, NOS_ACCESS_KEY_SECRET, NOS_BUCKET, NOS_LBS_ENDPOINT } = process.env
  if (!NOS_ACCESS_KEY_ID || !NOS_ACCESS_KEY_SECRET || !NOS_BUCKET) {
    console.error('Set NOS_ACCESS_KEY_ID, NOS_ACCESS_KEY_SECRET and NOS_BUCKET (and NOS_ENDPOINT for the emulator).')
    process.exit(2)
  }
  const { url } = await startServer({
    port: Number(process.argv[2] ?? 8080),
    accessKeyId: NOS_ACCESS_KEY_ID,
    accessKeySecret: NOS_ACCESS_KEY_SECRET,
    bucket: NOS_BUCKET,
    lbsEndpoint: NOS_LBS_ENDPOINT ?? (NOS_ENDPOINT ? `${NOS_ENDPOINT.replace(/\/+$/, '')}/lbs` : undefined),
  })
  console.log(`Open ${url}/ (Ctrl-C to stop)`)
}
