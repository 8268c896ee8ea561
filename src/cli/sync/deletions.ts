/**
 * `nos sync --delete`: removes the destination files or objects the source lacks, after the transfers. Objects
 * go 1000 per multi-delete request; a key NOS does not delete (NoSuchKey included) is a failure.
 * @module
 */
import { MAX_DELETE_KEYS } from '../../core/limits.js'
import { unlink } from 'node:fs/promises'
import type { NosClient } from '../../node.js'
import { runBatch } from '../batch.js'
import type { Failure } from '../errors.js'
import type { Interrupt } from '../interrupt.js'
import { formatUri } from '../uri.js'
import { describe, type Location } from '../commands/plan.js'
import { deleteKeys } from '../commands/delete-objects.js'

/** What the deletions need. */
export interface DeletionEnv {
  client: NosClient
  interrupt: Interrupt
  failFast: boolean
  /** Receives each target deleted (`nos://b/k` or a path). */
  onDeleted: (target: string) => void
  onFailed: (f: Failure) => void
}

async function deleteObjects(targets: Extract<Location, { kind: 'remote' }>[], env: DeletionEnv): Promise<void> {
  const bucket = targets[0]?.bucket
  if (bucket === undefined) return
  for (let i = 0; i < targets.length; i += MAX_DELETE_KEYS) {
    const keys = targets.slice(i, i + MAX_DELETE_KEYS).map((t) => t.key)
    const r = await deleteKeys(env.client, bucket, keys, env.interrupt.signal)
    for (const k of r.deleted) env.onDeleted(formatUri(bucket, k))
    for (const f of r.failed) env.onFailed(f)
    if (env.failFast && r.failed.length) return
  }
}

/** Deletes `targets` (all on one side: local files, or keys of one bucket). */
export async function runDeletions(targets: readonly Location[], env: DeletionEnv): Promise<void> {
  const remote = targets.filter((t): t is Extract<Location, { kind: 'remote' }> => t.kind === 'remote')
  if (remote.length) return deleteObjects(remote, env)
  const files = targets.filter((t): t is Extract<Location, { kind: 'local' }> => t.kind === 'local')
  const remove = async (t: Extract<Location, { kind: 'local' }>) => {
    await unlink(t.path)
    env.onDeleted(t.path)
  }
  await runBatch(files, describe, remove, { jobs: 4, failFast: env.failFast, interrupt: env.interrupt, onFailure: env.onFailed })
}
