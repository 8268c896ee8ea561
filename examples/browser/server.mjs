/**
 * The browser example's tiny server: serves the page and the SDK build, and presigns uploads with the SDK,
 * so the secret never leaves this process. The page then PUTs the file straight to NOS.
 *
 *   NOS_ENDPOINT=http://127.0.0.1:9000 NOS_ACCESS_KEY_ID=AK NOS_ACCESS_KEY_SECRET=SK NOS_BUCKET=my-bucket \
 *     node examples/browser/server.mjs [port]          # then open the printed address
 *
 * For a local NOS: `npx nos-emulator --port 9000 --access-key AK --secret-key SK --bucket my-bucket --cors permissive`.
 * With a real bucket, give it a CORS rule for this page's origin once (from a server, with the SDK):
 *   client.putBucketCors({ bucket, rules: [{ allowedOrigins: ['http://127.0.0.1:8080'], allowedMethods: ['PUT', 'GET'],
 *                                            allowedHeaders: ['*'], exposeHeaders: ['ETag', 'x-nos-request-id'] }] })
 *
 * Routes: GET /  (index.html), /app.js, /nos-sdk/* (the SDK's dist/ folder: the page loads nos-sdk.umd.min.js),
 *         GET /api/presign?name=<file name>&type=<content type>  ->  { key, put: { url, method, headers }, get }
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { dirname, extname, join, normalize, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { NosClient } from 'nos-sdk'

const HERE = dirname(fileURLToPath(import.meta.url))
/** The SDK's dist/ folder, wherever nos-sdk is installed (here: this repository, by its own package name). */
const SDK_DIST = dirname(fileURLToPath(import.meta.resolve('nos-sdk/browser')))
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.map': 'application/json' }
const KEY_PREFIX = 'browser-uploads/'

/**
 * Starts the server. Resolves to `{ url, close }`.
 * @param {{ port?: number, host?: string, endpoint: string, accessKeyId: string, accessKeySecret: string, bucket: string }} options
 */
export async function startServer({ port = 0, host = '127.0.0.1', endpoint, accessKeyId, accessKeySecret, bucket }) {
  const client = new NosClient({ endpoint, accessKeyId, accessKeySecret })
  const send = (res, status, type, body) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' })
    res.end(body)
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost')
    try {
      if (url.pathname === '/' || url.pathname === '/index.html') return send(res, 200, TYPES['.html'], readFileSync(join(HERE, 'index.html')))
      if (url.pathname === '/app.js') return send(res, 200, TYPES['.js'], readFileSync(join(HERE, 'app.js')))

      if (url.pathname === '/api/presign') {
        const name = url.searchParams.get('name') ?? ''
        const type = url.searchParams.get('type') || 'application/octet-stream'
        if (!/^[^/\\\x00-\x1f]{1,200}$/.test(name) || name.startsWith('.')) return send(res, 400, 'application/json', JSON.stringify({ error: 'bad file name' }))
        const key = `${KEY_PREFIX}${Date.now()}-${name}`
        // The Content-Type is signed: the browser must send exactly this one (a File's own type).
        const put = await client.presignRequest({ method: 'PUT', bucket, key, contentType: type, expires: 300 })
        const get = await client.presignUrl({ bucket, key, expires: 3600 })
        return send(res, 200, 'application/json', JSON.stringify({ key, put, get }))
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
  const { NOS_ENDPOINT, NOS_ACCESS_KEY_ID, NOS_ACCESS_KEY_SECRET, NOS_BUCKET } = process.env
  if (!NOS_ENDPOINT || !NOS_ACCESS_KEY_ID || !NOS_ACCESS_KEY_SECRET || !NOS_BUCKET) {
    console.error('Set NOS_ENDPOINT, NOS_ACCESS_KEY_ID, NOS_ACCESS_KEY_SECRET and NOS_BUCKET.')
    process.exit(2)
  }
  const { url } = await startServer({
    port: Number(process.argv[2] ?? 8080),
    endpoint: NOS_ENDPOINT,
    accessKeyId: NOS_ACCESS_KEY_ID,
    accessKeySecret: NOS_ACCESS_KEY_SECRET,
    bucket: NOS_BUCKET,
  })
  console.log(`Open ${url}/ (Ctrl-C to stop)`)
}
