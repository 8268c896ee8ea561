/** The bucket-name rule: the SDK's (core/validate.ts, also the CLI's) and the emulator's own copy agree. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isValidBucketName, checkBucket } from '../../src/core/validate.js'
import { isValidBucketName as emulatorAccepts } from '../../src/emulator/util.js'
import { parseNosUri } from '../../src/cli/uri.js'

/** Strings mostly of bucket-name characters, so that both valid and invalid names come up often. */
const nameLike = fc.string({ unit: fc.constantFrom(...'ab09-.A_'.split('')), minLength: 0, maxLength: 70 })

describe('bucket names', () => {
  it('accepts and refuses exactly these examples', () => {
    for (const ok of ['abc', 'my-bucket', '0a9', 'a-b-c', 'a'.repeat(63), '123']) expect([ok, isValidBucketName(ok)]).toEqual([ok, true])
    for (const bad of ['', 'b', 'ab', 'a'.repeat(64), '-ab', 'ab-', 'a--b', 'My-bucket', 'my.bucket', 'my_bucket', 'abc ', 'äbc']) {
      expect([bad, isValidBucketName(bad)]).toEqual([bad, false])
    }
  })

  it('property: the SDK rule and the emulator rule agree on any string', () => {
    fc.assert(fc.property(fc.oneof(nameLike, fc.string({ maxLength: 70 })), (s) => isValidBucketName(s) === emulatorAccepts(s)), { numRuns: 2000 })
  })

  it('property: checkBucket and the CLI accept exactly the names the rule accepts', () => {
    fc.assert(
      fc.property(nameLike.filter((s) => !s.includes('/') && s !== ''), (s) => {
        const sdk = (() => {
          try {
            return checkBucket(s) === s
          } catch (e) {
            expect((e as Error).name).toBe('InvalidBucketName')
            return false
          }
        })()
        const cli = (() => {
          try {
            return parseNosUri(`nos://${s}/k`).bucket === s
          } catch (e) {
            expect((e as Error).message).toContain('is not a NOS bucket name')
            return false
          }
        })()
        expect([sdk, cli]).toEqual([isValidBucketName(s), isValidBucketName(s)])
      }),
      { numRuns: 1000 },
    )
  })
})
