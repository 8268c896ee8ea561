/**
 * The HTTP front: one pipeline per request — route (docs/protocol.md#endpoints-and-addressing), classify, CORS
 * preflight (docs/protocol.md#cors-configuration), faults, authenticate
 * (docs/protocol.md#how-the-emulator-authenticates), authorise, dispatch — plus the request log.
 * @module
 */
import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { Socket } from 'node:net'
import { finished } from 'node:stream/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { authenticate } from './auth.js'
import { Ctx, type Env } from './context.js'
import * as direct from './direct-upload.js'
import { NosError } from './errors.js'
import * as bucketOps from './handlers-bucket.js'
import * as dedupOps from './handlers-dedup.js'
import * as listOps from './handlers-list.js'
import * as multipartOps from './handlers-multipart.js'
import * as objectOps from './handlers-object.js'
import { classify, route } from './router.js'
import type { FaultRule, OpName, RequestLogEntry } from './types.js'
import { isValidBucketName, redactSecrets } from './util.js'

type Handler = (ctx: Ctx) => void | Promise<void>

const DIRECT_OPS = new Set<OpName>(['lbs', 'directUpload', 'directQueryOffset'])

const HANDLERS: Record<Exclude<OpName, 'unknown' | 'preflight' | 'lbs' | 'directUpload' | 'directQueryOffset'>, Handler> = {
  listBuckets: bucketOps.listBuckets,
  createBucket: bucketOps.createBucket,
  deleteBucket: bucketOps.deleteBucket,
  headBucket: bucketOps.headBucket,
  getBucketLocation: bucketOps.getBucketLocation,
  getBucketAcl: bucketOps.getBucketAcl,
  putBucketAcl: bucketOps.putBucketAcl,
  getBucketCors: bucketOps.getBucketCors,
  putBucketCors: bucketOps.putBucketCors,
  deleteBucketCors: bucketOps.deleteBucketCors,
  listObjects: listOps.listObjects,
  listMultipartUploads: listOps.listMultipartUploads,
  listParts: listOps.listParts,
  deleteObjects: objectOps.deleteObjects,
  putObject: objectOps.putObject,
  copyObject: objectOps.copyObject,
  moveObject: objectOps.moveObject,
  putObjectMeta: objectOps.putObjectMeta,
  getObject: objectOps.getObject,
  headObject: objectOps.getObject,
  deleteObject: objectOps.deleteObject,
  initiateMultipartUpload: multipartOps.initiateMultipartUpload,
  uploadPart: multipartOps.uploadPart,
  completeMultipartUpload: multipartOps.completeMultipartUpload,
  abortMultipartUpload: multipartOps.abortMultipartUpload,
  deduplicateObject: dedupOps.deduplicateObject,
  getBucketDeduplication: dedupOps.getBucketDeduplication,
  putBucketDeduplication: dedupOps.putBucketDeduplication,
}

/**
 * Operations anonymous users and other accounts may run on a public-read bucket
 * (docs/protocol.md#how-the-emulator-authenticates).
 */
const PUBLIC_READ_OPS = new Set<OpName>(['getObject', 'headObject', 'listObjects', 'headBucket'])

/** Who may do what: the owner everything; others only reads of public-read buckets (docs/protocol.md#buckets). */
function authorize(ctx: Ctx): void {
  if (ctx.op === 'listBuckets' || ctx.op === 'createBucket') {
    if (!ctx.principal) throw new NosError('AccessDenied', 'Anonymous users cannot list or create buckets.')
    return
  }
  const bucket = ctx.env.store.bucket(ctx.bucket!)
  if (!bucket) throw new NosError('NoSuchBucket')
  if (ctx.principal?.ownerId === bucket.owner) return
  if (bucket.acl === 'public-read' && PUBLIC_READ_OPS.has(ctx.op)) return
  throw new NosError('AccessDenied')
}

/** Applies a fault; true when the request is finished (socket reset). */
async function applyFault(ctx: Ctx, fault: FaultRule): Promise<boolean> {
  ctx.fault = fault.action
  switch (fault.action) {
    case 'delay': {
      // A client that hangs up ends the wait: a long delay (a request held to stop a client mid-transfer) then
      // leaves no timer behind.
      const gone = new AbortController()
      const onClose = (): void => gone.abort()
      ctx.res.once('close', onClose)
      try {
        await sleep(fault.delayMs ?? 1000, undefined, { signal: gone.signal })
        return false
      } catch {
        return true
      } finally {
        ctx.res.off('close', onClose)
      }
    }
    case 'dropResponse':
      // Served as usual; Ctx.send closes the connection instead of answering.
      return false
    case 'error500':
      throw new NosError('InternalError')
    case 'error501':
      throw new NosError('NotImplemented')
    case 'error503':
      throw new NosError('ServiceUnavailable')
    case 'slowDown':
      throw new NosError('SlowDown')
    case 'reset': {
      const limit = fault.resetAfterBytes ?? 1
      await new Promise<void>((resolve) => {
        let got = 0
        const done = (): void => {
          ctx.req.off('data', onData)
          ctx.req.socket.destroy()
          resolve()
        }
        const onData = (chunk: Buffer): void => {
          got += chunk.length
          ctx.bytesIn += chunk.length
          if (got >= limit) done()
        }
        ctx.req.on('data', onData)
        ctx.req.once('end', done)
        ctx.req.once('error', done)
      })
      return true
    }
  }
}

async function serve(ctx: Ctx): Promise<void> {
  try {
    route(ctx, ctx.env.settings.baseHosts)
    ctx.op = classify(ctx)
    if (ctx.op === 'unknown') throw new NosError('MethodNotAllowed')
    if (ctx.op === 'preflight') return bucketOps.preflight(ctx)
    // A name NOS would never create names no bucket: refused as such on every operation, not only on create.
    if (ctx.bucket !== undefined && ctx.op !== 'lbs' && !isValidBucketName(ctx.bucket)) throw new NosError('InvalidBucketName')
    const fault = ctx.env.faults.pick(ctx)
    if (fault && (await applyFault(ctx, fault))) return
    if (ctx.op === 'lbs') return direct.lbs(ctx)
    // Direct upload authenticates with the upload token inside its handlers (docs/protocol.md#upload-tokens).
    if (ctx.op === 'directUpload') return await direct.directUpload(ctx)
    if (ctx.op === 'directQueryOffset') return await direct.directQueryOffset(ctx)
    ctx.principal = authenticate(ctx)
    authorize(ctx)
    await HANDLERS[ctx.op](ctx)
  } catch (e) {
    if (DIRECT_OPS.has(ctx.op) && e instanceof NosError && !ctx.res.headersSent) direct.sendDirectError(ctx, e)
    else ctx.sendError(e)
  }
}

/** Log entries kept; the oldest are dropped beyond this (a long-running CLI must not grow without bound). */
const MAX_LOG = 100_000

function record(ctx: Ctx): void {
  // A request still in flight when the log was cleared belongs to the time before the clear.
  if (ctx.logEpoch !== ctx.env.logEpoch) return
  const entry: RequestLogEntry = {
    method: ctx.method,
    path: ctx.rawPath,
    query: ctx.rawQuery,
    status: ctx.rawStatus ?? (ctx.res.headersSent ? ctx.res.statusCode : 0),
    bytesIn: ctx.bytesIn,
    bytesOut: ctx.bytesOut,
    ms: Math.round((performance.now() - ctx.started) * 1000) / 1000,
    op: ctx.op,
    requestId: ctx.requestId,
  }
  if (ctx.bucket !== undefined) entry.bucket = ctx.bucket
  if (ctx.key !== undefined) entry.key = ctx.key
  if (ctx.errorCode) entry.errorCode = ctx.errorCode
  if (ctx.fault) entry.fault = ctx.fault
  const log = ctx.env.requests
  if (log.length >= MAX_LOG) log.splice(0, log.length - MAX_LOG + 1)
  log.push(entry)
  if (ctx.env.settings.log) {
    const q = entry.query ? `?${entry.query}` : ''
    const extra = [entry.errorCode, entry.fault && `fault=${entry.fault}`].filter(Boolean).join(' ')
    // Presigned URLs carry their signature in the query: never print it (docs/architecture.md#no-secret-in-a-message).
    process.stderr.write(
      redactSecrets(
        `[nos-emulator] ${entry.method} ${entry.path}${q} -> ${entry.status} ${entry.op} in=${entry.bytesIn}B out=${entry.bytesOut}B ${entry.ms.toFixed(1)}ms${extra ? ' ' + extra : ''}\n`,
      ),
    )
  }
}

/**
 * An HTTP server serving the NOS API from `env`.
 *
 * @example
 * const server = createNosServer(env); server.listen(9000)
 */
export function createNosServer(env: Env): Server {
  const current = new WeakMap<Socket, Ctx>()
  const server = createServer((req, res) => {
    const ctx = new Ctx(req, res, env)
    current.set(req.socket, ctx)
    void (async () => {
      await serve(ctx)
      if (!res.headersSent && !res.destroyed && !req.socket.destroyed && ctx.rawStatus === undefined) {
        ctx.sendError(new Error('handler sent no response'))
      }
      await finished(res).catch(() => undefined)
      if (current.get(req.socket) === ctx) current.delete(req.socket)
      record(ctx)
    })()
  })
  server.on('clientError', (err: Error & { code?: string }, socket: Socket) => {
    const ctx = current.get(socket)
    if (ctx && !ctx.res.headersSent && socket.writable) {
      // A client that half-closes before sending Content-Length bytes still gets a NOS answer
      // (docs/protocol.md#error-codes).
      socket.end(ctx.rawError(new NosError('IncompleteBody')))
    } else if (socket.writable && err.code !== 'ECONNRESET') {
      const id = randomBytes(16).toString('hex')
      socket.end(`HTTP/1.1 400 Bad Request\r\nx-nos-request-id: ${id}\r\nServer: NOS\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`)
    } else socket.destroy()
  })
  return server
}
