/**
 * Runs one planned transfer: managed multipart upload with a file checkpoint (an interrupted upload resumes),
 * resumable download (`downloadFile`), server-side copy or move, stdin/stdout streaming. On interrupt an upload
 * is paused (its parts and checkpoint stay), a download aborted (its partial file stays): the same command resumes.
 * @module
 */
import { once } from 'node:events'
import { mkdir, unlink } from 'node:fs/promises'
import { dirname } from 'node:path'
import { fileSource, type FileCheckpointStore, type NosClient } from '../../node.js'
import type { Interrupt } from '../interrupt.js'
import { guessContentType } from '../mime.js'
import type { Progress } from '../progress.js'
import { describe, type Transfer } from './plan.js'

/** Settings shared by every transfer of a command. */
export interface TransferEnv {
  client: NosClient
  interrupt: Interrupt
  progress: Progress
  checkpoints: FileCheckpointStore
  partSize: number | undefined
  concurrency: number | undefined
  contentType: string | undefined
  /** mv: remove the source once the destination is complete (same-bucket keys are moved server-side). */
  move: boolean
}

/** What happened to one transfer (the `--json` entry). */
export interface TransferResult {
  action: 'upload' | 'download' | 'copy' | 'move'
  source: string
  destination: string
  size: number | undefined
  etag: string | undefined
  /** True when an earlier, interrupted run had already moved part of the data. */
  resumed: boolean
  /** Bytes sent or received by this run. */
  bytesTransferred: number
  partsTotal?: number
  partsSent?: number
}

async function upload(t: Transfer, env: TransferEnv): Promise<TransferResult> {
  const to = t.to as Extract<Transfer['to'], { kind: 'remote' }>
  const fromFile = t.from.kind === 'local'
  const body = t.from.kind === 'local' ? await fileSource(t.from.path) : (process.stdin as AsyncIterable<Uint8Array>)
  const name = describe(t.to)
  const bar = env.progress.start(name, t.size)
  const up = env.client.upload({
    bucket: to.bucket,
    key: to.key,
    body,
    partSize: env.partSize,
    concurrency: env.concurrency,
    contentType: env.contentType ?? (t.from.kind === 'local' ? guessContentType(t.from.path) : undefined),
    // A stream cannot be fingerprinted, so only files keep checkpoints (and resume).
    checkpoint: fromFile ? env.checkpoints : undefined,
    onProgress: (p) => bar.update(p.loaded, p.total),
  })
  const off = env.interrupt.onInterrupt(() => void up.pause().catch(() => {}))
  try {
    const r = await up
    if (env.move && t.from.kind === 'local') await unlink(t.from.path)
    const sentBytes = r.partsTotal > 0 ? Math.round((r.size * r.partsSent) / r.partsTotal) : r.size
    return {
      action: env.move ? 'move' : 'upload', source: describe(t.from), destination: name, size: r.size, etag: r.etag,
      resumed: r.partsSent < r.partsTotal, bytesTransferred: sentBytes, partsTotal: r.partsTotal, partsSent: r.partsSent,
    }
  } finally {
    off()
    bar.done()
  }
}

async function download(t: Transfer, env: TransferEnv): Promise<TransferResult> {
  const from = t.from as Extract<Transfer['from'], { kind: 'remote' }>
  const path = (t.to as Extract<Transfer['to'], { kind: 'local' }>).path
  await mkdir(dirname(path), { recursive: true })
  const bar = env.progress.start(path, t.size)
  try {
    const r = await env.client.downloadFile({
      bucket: from.bucket,
      key: from.key,
      path,
      partSize: env.partSize,
      concurrency: env.concurrency,
      signal: env.interrupt.signal,
      onProgress: (p) => bar.update(p.loaded, p.total),
    })
    if (env.move) await env.client.deleteObject({ bucket: from.bucket, key: from.key, signal: env.interrupt.signal })
    return {
      action: env.move ? 'move' : 'download', source: describe(t.from), destination: path, size: r.size, etag: r.etag,
      resumed: r.bytesFetched < r.size, bytesTransferred: r.bytesFetched,
    }
  } finally {
    bar.done()
  }
}

async function toStdout(t: Transfer, env: TransferEnv): Promise<TransferResult> {
  const from = t.from as Extract<Transfer['from'], { kind: 'remote' }>
  const obj = await env.client.getObject({ bucket: from.bucket, key: from.key, signal: env.interrupt.signal })
  const bar = env.progress.start(describe(t.from), obj.contentLength)
  let n = 0
  try {
    for await (const chunk of obj.body as unknown as AsyncIterable<Uint8Array>) {
      n += chunk.length
      bar.update(n)
      if (!process.stdout.write(chunk)) await once(process.stdout, 'drain')
    }
    if (env.move) await env.client.deleteObject({ bucket: from.bucket, key: from.key, signal: env.interrupt.signal })
  } finally {
    bar.done()
  }
  return { action: env.move ? 'move' : 'download', source: describe(t.from), destination: '-', size: n, etag: obj.etag, resumed: false, bytesTransferred: n }
}

async function copy(t: Transfer, env: TransferEnv): Promise<TransferResult> {
  const from = t.from as Extract<Transfer['from'], { kind: 'remote' }>
  const to = t.to as Extract<Transfer['to'], { kind: 'remote' }>
  const p = { srcBucket: from.bucket, srcKey: from.key, destBucket: to.bucket, destKey: to.key, signal: env.interrupt.signal }
  const sameBucket = from.bucket === to.bucket
  if (env.move && sameBucket) await env.client.moveObject(p)
  else {
    await env.client.copyObject(p)
    if (env.move) await env.client.deleteObject({ bucket: from.bucket, key: from.key, signal: env.interrupt.signal })
  }
  return { action: env.move ? 'move' : 'copy', source: describe(t.from), destination: describe(t.to), size: t.size, etag: undefined, resumed: false, bytesTransferred: 0 }
}

/** Runs one transfer. */
export function runTransfer(t: Transfer, env: TransferEnv): Promise<TransferResult> {
  env.interrupt.signal.throwIfAborted()
  if (t.to.kind === 'remote') return t.from.kind === 'remote' ? copy(t, env) : upload(t, env)
  return t.to.kind === 'stdio' ? toStdout(t, env) : download(t, env)
}

/**
 * Runs `fn` over `items` with at most `jobs` at once, in order of start; the first failure stops new starts and
 * is rethrown once the running ones settle.
 */
export async function pool<T, R>(items: readonly T[], jobs: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  let failure: { error: unknown } | undefined
  const worker = async (): Promise<void> => {
    while (!failure && next < items.length) {
      const i = next++
      try {
        results[i] = await fn(items[i]!)
      } catch (error) {
        failure ??= { error }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker))
  if (failure) throw failure.error
  return results
}
