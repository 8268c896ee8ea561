/**
 * src/transfers/checkpoint.ts and progress.ts: checkpoints kept as JSON (a stored value is a copy, never the
 * caller's object), what a store accepts as a checkpoint, and progress summed over finished and in-flight parts.
 */
import { describe, expect, it } from 'vitest'
import { MemoryCheckpointStore, isCheckpoint, isKnownCheckpoint, type UploadCheckpoint } from '../../src/transfers/checkpoint.js'
import { ProgressTracker, type UploadProgress } from '../../src/transfers/progress.js'

const cp: UploadCheckpoint = {
  version: 1, bucket: 'bkt', key: 'k', uploadId: 'u1', partSize: 16384, size: 40000, fingerprint: 'f',
  parts: [{ partNum: 1, etag: 'e1', size: 16384 }], createdAt: '2024-01-02T03:04:05.000Z',
}

describe('MemoryCheckpointStore', () => {
  it('saves a JSON copy, loads a fresh one, lists and removes ids', async () => {
    const store = new MemoryCheckpointStore()
    expect(await store.load('a')).toBeUndefined()
    const mine = structuredClone(cp)
    await store.save('a', mine)
    mine.parts.push({ partNum: 2, etag: 'e2', size: 1 })
    const loaded = await store.load('a')
    expect(loaded).toEqual(cp)
    expect(loaded).not.toBe(await store.load('a'))
    await store.save('b', cp)
    expect(store.keys()).toEqual(['a', 'b'])
    await store.remove('a')
    await store.remove('missing')
    expect(store.keys()).toEqual(['b'])
  })

  it('a size left undefined is dropped by JSON, as every store does', async () => {
    const store = new MemoryCheckpointStore()
    await store.save('s', { ...cp, size: undefined })
    expect(await store.load('s')).toEqual({ ...cp, size: undefined })
    expect(Object.keys((await store.load('s'))!)).not.toContain('size')
  })
})

describe('isCheckpoint and isKnownCheckpoint', () => {
  it('a checkpoint needs version 1, string ids, an integer part size and a parts array', () => {
    expect(isCheckpoint(cp)).toBe(true)
    const broken: unknown[] = [
      null, 'x', 42, [], {},
      { ...cp, version: 2 }, { ...cp, uploadId: 1 }, { ...cp, bucket: undefined }, { ...cp, key: null },
      { ...cp, partSize: 1.5 }, { ...cp, partSize: '16384' }, { ...cp, parts: {} },
    ]
    expect(broken.map(isCheckpoint)).toEqual(broken.map(() => false))
  })

  it('a store loads managed-upload checkpoints and direct-upload ones (kind: direct), nothing else', () => {
    expect([cp, { kind: 'direct' }, { kind: 'other' }, null, 'direct'].map(isKnownCheckpoint)).toEqual([true, true, false, false, false])
  })
})

describe('ProgressTracker', () => {
  it('reports finished bytes plus the bytes in flight after every change; a retry restarts its part at 0', () => {
    const seen: UploadProgress[] = []
    const t = new ProgressTracker((p) => seen.push(p), 30, 3)
    t.sending(1, 4)
    t.sending(2, 6)
    t.sending(1, 10)
    t.done(1, 10, true)
    t.sending(2, 0)
    t.done(3, 10, false)
    t.sending(2, 10)
    t.done(2, 10, true)
    expect(seen.map((p) => [p.loaded, p.partsDone])).toEqual([[4, 0], [10, 0], [16, 0], [16, 1], [10, 1], [20, 2], [30, 2], [30, 3]])
    expect(seen.at(-1)).toEqual({ loaded: 30, total: 30, partsDone: 3, partsTotal: 3 })
    expect([t.partsDone, t.partsSent]).toEqual([3, 2])
  })

  it('without onProgress it only counts; an unknown total stays undefined', () => {
    const t = new ProgressTracker(undefined, undefined, undefined)
    t.done(1, 5, true)
    expect([t.partsDone, t.partsSent, t.total, t.partsTotal]).toEqual([1, 1, undefined, undefined])
  })
})
