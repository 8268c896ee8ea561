/**
 * One definition each: NOS limits (core/limits.ts) bound the SDK and the CLI alike; the emulator's flags
 * (emulator/cli-args.ts) are the flags of both `nos-emulator` and `nos serve`.
 */
import { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import * as limits from '../../src/core/limits.js'
import { choosePartSize } from '../../src/transfers/part-size.js'
import { addTransferFlags } from '../../src/cli/transfer-flags.js'
import { buildProgram } from '../../src/cli/program.js'
import { newRunState } from '../../src/cli/context.js'
import { EMULATOR_FLAGS, HELP, emulatorOptionsFrom, parseCli } from '../../src/emulator/cli-args.js'

/** Parses `--part-size <text>` the way cp, mv and sync do; returns the value or the usage error's message. */
function cliPartSize(text: string): number | string {
  const cmd = addTransferFlags(new Command('cp').exitOverride()).action(() => {})
  try {
    cmd.parse(['--part-size', text], { from: 'user' })
    return cmd.opts<{ partSize: number }>().partSize
  } catch (e) {
    return (e as Error).message
  }
}

describe('core/limits.ts', () => {
  it('holds the NOS figures', () => {
    expect(limits).toMatchObject({
      MIN_BUCKET_NAME_LENGTH: 3,
      MAX_BUCKET_NAME_LENGTH: 63,
      MAX_KEY_BYTES: 1000,
      MAX_PUT_SIZE: 104_857_600,
      MIN_PART_SIZE: 16_384,
      MAX_PART_SIZE: 104_857_600,
      MAX_PART_NUMBER: 10_000,
      MAX_OBJECT_SIZE: 10_000 * 104_857_600,
      MAX_LIST_LIMIT: 1000,
      MAX_DELETE_KEYS: 1000,
      DEFAULT_PRESIGN_EXPIRES: 900,
      MAX_PRESIGN_EXPIRES: 604_800,
    })
  })

  it('the SDK and the CLI accept exactly the same part sizes', () => {
    const sdk = (n: number) => {
      try {
        return choosePartSize(undefined, n)
      } catch (e) {
        return (e as Error).name
      }
    }
    for (const n of [limits.MIN_PART_SIZE - 1, limits.MIN_PART_SIZE, limits.MAX_PART_SIZE, limits.MAX_PART_SIZE + 1]) {
      const ok = n >= limits.MIN_PART_SIZE && n <= limits.MAX_PART_SIZE
      expect([n, sdk(n)]).toEqual([n, ok ? n : 'InvalidArgument'])
      expect([n, cliPartSize(String(n))]).toEqual([n, ok ? n : `--part-size: must be from 16KiB to 100MiB, got ${n}`])
    }
  })
})

describe('the emulator flags, shared by nos-emulator and nos serve', () => {
  it('nos-emulator --help and nos serve --help list every flag (nos serve takes --quiet as its global flag)', () => {
    const serve = buildProgram(newRunState({})).commands.find((c) => c.name() === 'serve')!
    const serveFlags = serve.options.map((o) => o.long)
    expect(serveFlags).toEqual(EMULATOR_FLAGS.filter((f) => f.key !== 'quiet').map((f) => `--${f.flag}`))
    for (const f of EMULATOR_FLAGS) expect(HELP).toContain(`--${f.flag}`)
  })

  it('nos serve reads every flag as nos-emulator does', () => {
    const serve = buildProgram(newRunState({})).commands.find((c) => c.name() === 'serve')!
    let seen: unknown
    serve.exitOverride().action((flags: unknown) => void (seen = flags))
    const argv = ['--port', '0', '--host', '::1', '--access-key', 'AK', '--secret-key', 'SK', '--bucket', 'abc', '--bucket', 'def', '--public-bucket', 'pub', '--data-dir', '/tmp/d', '--cors', 'permissive', '--endpoint-host', 'nos.test:1']
    serve.parse(argv, { from: 'user' })
    expect(emulatorOptionsFrom({ ...(seen as object), quiet: true })).toEqual((parseCli([...argv, '--quiet']) as { options: object }).options)
  })

  it('parseCli is emulatorOptionsFrom over the parsed flags, defaults included', () => {
    expect(parseCli([])).toEqual({ help: false, options: emulatorOptionsFrom({}) })
    expect(emulatorOptionsFrom({})).toEqual({ port: 9000, host: '127.0.0.1', credentials: [], buckets: [], log: true })
    expect(parseCli(['-h'])).toEqual({ help: true })
    expect(() => parseCli(['--port', '65536'])).toThrow(new TypeError('--port: not a port number: 65536'))
    expect(() => emulatorOptionsFrom({ port: '0x10' })).toThrow(new TypeError('--port: not a port number: 0x10'))
    expect(() => emulatorOptionsFrom({ cors: 'strict' })).toThrow(new TypeError('--cors: only "permissive" is supported'))
    expect(() => emulatorOptionsFrom({ accessKey: ['a', 'b'], secretKey: ['s'] })).toThrow(new TypeError('every --access-key needs a matching --secret-key'))
  })
})
