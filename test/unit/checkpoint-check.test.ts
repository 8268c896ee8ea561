import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { checkCheckpoint } from '../../src/transfers/checkpoint-check.js'
import { isNosErrorKind, MAX_PART_SIZE, MIN_PART_SIZE, MAX_PART_NUMBER, type UploadCheckpoint } from '../../src/index.js'

const KiB = 1024
const valid: UploadCheckpoint = {
  version: 1, bucket: 'bkt', key: 'k', uploadId: '4693258653932952328', partSize: 64 * KiB, size: 200 * KiB, fingerprint: 'f',
  parts: [{ partNum: 1, etag: 'a'.repeat(32), size: 64 * KiB }, { partNum: 4, etag: 'B'.repeat(32), size: 8 * KiB }], createdAt: '2030-01-01T00:00:00.000Z',
}

/** What a checkpoint accepted by checkCheckpoint guarantees to the upload. */
function invariants(cp: UploadCheckpoint) {
  expect(Number.isInteger(cp.partSize) && cp.partSize >= MIN_PART_SIZE && cp.partSize <= MAX_PART_SIZE).toBe(true)
  expect(cp.size === undefined || (Number.isInteger(cp.size) && cp.size >= 0 && cp.size <= cp.partSize * MAX_PART_NUMBER)).toBe(true)
  expect(typeof cp.uploadId === 'string' && /^[\w.~+/=-]+$/.test(cp.uploadId)).toBe(true)
  expect(new Set(cp.parts.map((p) => p.partNum)).size).toBe(cp.parts.length)
  for (const p of cp.parts) {
    expect(/^[0-9a-f]{32}$/.test(p.etag)).toBe(true)
    if (cp.size === undefined) expect(p.size >= 1 && p.size <= cp.partSize).toBe(true)
    else expect(p.size).toBe(Math.min(cp.partSize, cp.size - (p.partNum - 1) * cp.partSize))
  }
}

describe('checkpoints checked like arguments', () => {
  it('a valid checkpoint comes back clean (ETags lower-cased, a copy)', () => {
    const cp = checkCheckpoint(JSON.parse(JSON.stringify(valid)), 'resume')
    expect(cp.parts[1]!.etag).toBe('b'.repeat(32))
    invariants(cp)
  })

  it('property: any value in any field is either accepted with the invariants holding, or an InvalidArgument naming that field', () => {
    const anyValue = fc.oneof(fc.anything(), fc.integer({ min: -2, max: 300 * KiB }), fc.constantFrom(16 * KiB, 64 * KiB, 100 * 1024 * KiB, null, undefined, '', 'a b'))
    const field = fc.constantFrom('version', 'bucket', 'key', 'uploadId', 'partSize', 'size', 'fingerprint', 'createdAt', 'parts', 'part.partNum', 'part.etag', 'part.size')
    fc.assert(
      fc.property(field, anyValue, (f, v) => {
        const cp = JSON.parse(JSON.stringify(valid)) as Record<string, unknown> & { parts: Record<string, unknown>[] }
        if (f.startsWith('part.')) cp.parts[0]![f.slice(5)] = v
        else (cp as Record<string, unknown>)[f] = v
        let result: UploadCheckpoint | undefined
        try {
          result = checkCheckpoint(cp, 'resume')
        } catch (e) {
          expect(isNosErrorKind(e, 'InvalidArgument')).toBe(true)
          expect((e as Error).message).toMatch(/^resume(\.|\s)/)
          return
        }
        invariants(result)
      }),
      { numRuns: 1000 },
    )
  })
})
