/**
 * Runs one planned transfer: managed multipart upload with a file checkpoint (an interrupted upload resumes),
 * resumable download (`downloadFile`), server-side copy or move, stdin/stdout streaming.
 *
 * On interrupt (interrupt.ts) what can be resumed is kept and named, what cannot is cleaned up:
 * - an upload from a file is paused: its parts stay on NOS and its checkpoint in the state dir, and the note
 *   names the checkpoint file; the same command resumes it;
 * - an upload from stdin is aborted (a stream cannot be read again): its parts are deleted from NOS;
 * - a download keeps its partial `<file>.nosdl`, from which the same command resumes.
 * @module
 */
import { once } from 'node:events'
import { mkdir, unlink, utimes } from 'node:fs/promises'
import { dirname } from 'node:path'
import { fileSource, type NosClient, type UploadCheckpoint } from '../../node.js'
import type { CliCheckpoints } from '../checkpoints.js'
import type { Interrupt } from '../interrupt.js'
import { objectFields, type ObjectFlags } from '../object-options.js'
import type { Progress } from '../progress.js'
import { describe, type Transfer } from './plan.js'

/** Settings shared by every transfer of a command. */
export interface TransferEnv {
  client: NosClient
  interrupt: Interrupt
  progress: Progress
  checkpoints: CliCheckpoints
  partSize: number | undefined
  concurrency: number | undefined
  object: ObjectFlags
  /** mv: remove the source once the destination is complete (same-bucket keys are moved server-side). */
  move: boolean
  /** What an interrupt left behind, one sentence per transfer (printed after "interrupted"). */
  notes: string[]
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

type Remote = Extract<Transfer['to'], { kind: 'remote' }>

function pausedNote(t: Transfer, env: TransferEnv, cp: UploadCheckpoint | undefined): string {
  const to = t.to as Remote
  const parts = cp ? `${cp.parts.length} part(s) on NOS, upload id ${cp.uploadId}` : 'parts on NOS'
  return `upload ${describe(t.from)} -> ${describe(t.to)} paused (${parts}); checkpoint kept in ${env.checkpoints.where(to.bucket, to.key)}: run the same command again to resume`
}

/** On interrupt: pause an upload from a file (keeping a checkpoint), abort one from stdin. */
function onInterrupt(t: Transfer, env: TransferEnv, up: ReturnType<NosClient['upload']>): { off: () => void; settled: () => Promise<void> } {
  let settling: Promise<void> = Promise.resolve()
  const off = env.interrupt.onInterrupt(() => {
    if (t.from.kind === 'local') {
      settling = up.pause().then((cp) => void env.notes.push(pausedNote(t, env, cp)), () => {})
    } else {
      settling = up.abort().then(() => void env.notes.push(`upload from stdin to ${describe(t.to)} aborted: a stream cannot be resumed, and no part of it was left on NOS`))
    }
  })
  return { off, settled: () => settling }
}

async function upload(t: Transfer, env: TransferEnv): Promise<TransferResult> {
  const to = t.to as Remote
  const fromFile = t.from.kind === 'local'
  const file = t.from.kind === 'local' ? await fileSource(t.from.path) : undefined
  const body = file ?? (process.stdin as AsyncIterable<Uint8Array>)
  const name = describe(t.to)
  const bar = env.progress.start(name, t.size)
  const up = env.client.upload({
    bucket: to.bucket,
    key: to.key,
    body,
    partSize: env.partSize,
    concurrency: env.concurrency,
    ...objectFields(env.object, t.from.kind === 'local' ? t.from.path : undefined),
    // A stream cannot be fingerprinted, so only files keep checkpoints (and resume).
    checkpoint: fromFile ? env.checkpoints : undefined,
    onProgress: (p) => bar.update(p.loaded, p.total),
  })
  const interrupt = onInterrupt(t, env, up)
  try {
    const r = await up
    if (env.move && t.from.kind === 'local') await unlink(t.from.path)
    const sentBytes = r.partsTotal > 0 ? Math.round((r.size * r.partsSent) / r.partsTotal) : r.size
    return {
      action: env.move ? 'move' : 'upload', source: describe(t.from), destination: name, size: r.size, etag: r.etag,
      resumed: r.partsSent < r.partsTotal, bytesTransferred: sentBytes, partsTotal: r.partsTotal, partsSent: r.partsSent,
    }
  } catch (e) {
    // Wait until the pause is saved or the abort has reached NOS before the command reports and exits.
    if (env.interrupt.interrupted) await interrupt.settled()
    throw e
  } finally {
    interrupt.off()
    bar.done()
    // upload() closes a file after a multipart upload but not after a single PUT (nos-sdk 0.1.0): close it here.
    await file?.close?.()
    // Stop reading stdin (its producer may still be writing after an interrupt), so that the process can exit.
    if (t.from.kind === 'stdio') process.stdin.destroy()
  }
}

async function download(t: Transfer, env: TransferEnv): Promise<TransferResult> {
  const from = t.from as Remote
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
    // The file's modification time becomes the object's Last-Modified, so that sync can compare them later.
    if (t.lastModified) await utimes(path, t.lastModified, t.lastModified)
    if (env.move) await env.client.deleteObject({ bucket: from.bucket, key: from.key, signal: env.interrupt.signal })
    return {
      action: env.move ? 'move' : 'download', source: describe(t.from), destination: path, size: r.size, etag: r.etag,
      resumed: r.bytesFetched < r.size, bytesTransferred: r.bytesFetched,
    }
  } catch (e) {
    if (env.interrupt.interrupted) env.notes.push(`download ${describe(t.from)} stopped; its partial file ${path}.nosdl is kept: run the same command again to resume`)
    throw e
  } finally {
    bar.done()
  }
}

async function toStdout(t: Transfer, env: TransferEnv): Promise<TransferResult> {
  const from = t.from as Remote
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
  const from = t.from as Remote
  const to = t.to as Remote
  const p = { srcBucket: from.bucket, srcKey: from.key, destBucket: to.bucket, destKey: to.key, signal: env.interrupt.signal }
  const sameBucket = from.bucket === to.bucket
  if (env.move && sameBucket) await env.client.moveObject(p)
  else {
    await env.client.copyObject(p)
    if (env.move) await env.client.deleteObject({ bucket: from.bucket, key: from.key, signal: env.interrupt.signal })
  }
  return { action: env.move ? 'move' : 'copy', source: describe(t.from), destination: describe(t.to), size: t.size, etag: undefined, resumed: false, bytesTransferred: 0 }
}

/** The action a transfer performs (for plans and dry runs). */
export function actionOf(t: Transfer, move: boolean): TransferResult['action'] {
  if (move) return 'move'
  if (t.to.kind === 'remote') return t.from.kind === 'remote' ? 'copy' : 'upload'
  return 'download'
}

/** Runs one transfer. */
export function runTransfer(t: Transfer, env: TransferEnv): Promise<TransferResult> {
  env.interrupt.signal.throwIfAborted()
  if (t.to.kind === 'remote') return t.from.kind === 'remote' ? copy(t, env) : upload(t, env)
  return t.to.kind === 'stdio' ? toStdout(t, env) : download(t, env)
}
