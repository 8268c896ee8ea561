/**
 * An exclusive lock per upload destination for checkpoints kept in files, so that two processes sharing a
 * `FileCheckpointStore` never run the same upload at once (one would take the other's live checkpoint for a stale
 * one and abort its upload, or resume it in parallel and send its parts again).
 *
 * The lock is a file `<dir>/<sha1 of id>.lock` holding the owner's pid, host name and start time, created
 * atomically (written aside, then hard-linked into place: it exists whole or not at all). The rule for a stale lock:
 * its owner is a process of this host that no longer exists (`kill(pid, 0)` answers ESRCH); such a lock is taken
 * over. A lock of another host cannot be checked and is never taken over; the error names the file to remove.
 * @module
 */
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { ClientException } from '../../core/errors.js'

/** What a lock file holds. */
export interface LockOwner {
  pid: number
  host: string
  /** ISO time the lock was taken. */
  since: string
  /** The checkpoint id (the destination) it protects. */
  id: string
  /** Tells this holder from an earlier one of the same process. */
  token?: string
}

/** Another process (or another upload of this process) is uploading the same destination. */
export class UploadInProgressError extends ClientException {
  constructor(readonly owner: LockOwner, readonly lockFile: string) {
    const who = owner.pid === process.pid && owner.host === hostname() ? `this process (${owner.pid})` : `process ${owner.pid}${owner.host === hostname() ? '' : ` on ${owner.host}`}`
    super(
      `an upload of this destination (${owner.id}) is in progress in ${who} since ${owner.since}: wait for it, or stop it; ` +
        `if no such upload is running, remove the lock file ${lockFile}`,
      { errorCode: 'UploadInProgress' },
    )
  }
}
Object.defineProperty(UploadInProgressError.prototype, 'name', { value: 'UploadInProgressError', writable: true, configurable: true })

/** Makes temporary file names unique within the process. */
let counter = 0

/** True when `pid` names a live process of this host (EPERM: it exists, owned by another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function readOwner(file: string): Promise<LockOwner | undefined> {
  // Gone since the failed link (free again), or not a lock this code wrote: either way nobody holds it.
  try {
    const v = JSON.parse(await readFile(file, 'utf8')) as LockOwner
    return Number.isInteger(v.pid) && typeof v.host === 'string' ? v : undefined
  } catch {
    return undefined
  }
}

/** Creates `file` holding `owner` if no file is there; false when one is. */
async function create(file: string, owner: LockOwner): Promise<boolean> {
  const tmp = `${file}.${process.pid}.${++counter}.tmp`
  await writeFile(tmp, JSON.stringify(owner))
  try {
    await link(tmp, file)
    return true
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw e
  } finally {
    await rm(tmp, { force: true })
  }
}

/**
 * Takes the lock in `file` for `id`; resolves with its release. Rejects with `UploadInProgressError` while a live
 * owner holds it; a stale lock (its process is gone) is replaced.
 * @example
 * const release = await acquireLock('/ckpt/ab12.lock', 'nos-upload:bucket:key', '/ckpt')
 * try { await work() } finally { await release() }
 */
export async function acquireLock(file: string, id: string, dir: string): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true })
  const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString(), id, token: `${process.pid}.${++counter}` }
  for (let attempt = 0; ; attempt++) {
    if (await create(file, owner)) break
    const held = await readOwner(file)
    const stale = held === undefined || (held.host === owner.host && !alive(held.pid))
    if (!stale || attempt >= 2) throw new UploadInProgressError(held ?? { ...owner, pid: -1 }, file)
    await rm(file, { force: true })
  }
  let released = false
  return async () => {
    if (released) return
    released = true
    // Only our own lock is removed: one taken over after we were presumed dead stays.
    const held = await readOwner(file).catch(() => undefined)
    if (held !== undefined && held.token === owner.token && held.host === owner.host) await rm(file, { force: true })
  }
}
