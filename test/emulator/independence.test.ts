/**
 * The emulator is an independent oracle (house rule): it judges requests with its own reading of the protocol
 * (src/emulator/signing.ts on node:crypto), never with the SDK's signer or encoder, so a bug there cannot make
 * both sides agree on a wrong answer.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const DIR = resolve(import.meta.dirname, '../../src/emulator')

describe('emulator independence', () => {
  it('no emulator module imports SDK code (the emulator used to verify with src/signing/signer.ts)', () => {
    const offenders = readdirSync(DIR)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [...readFileSync(join(DIR, f), 'utf8').matchAll(/from\s+'(\.\.\/[^']+)'/g)].map((m) => `${f}: ${m[1]}`))
    expect(offenders).toEqual([])
  })
})
