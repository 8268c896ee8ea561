/** The emulator refuses the bucket names NOS refuses: at start-up, on the command line, on create and on any request. */
import { execFile } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { emulatorOptionsFrom, parseCli } from '../../src/emulator/cli-args.js'
import { type Client, errorCode, setup } from './helpers.js'

let emu: Emulator
let c: Client
beforeAll(async () => {
  ;({ emu, c } = await setup())
})
afterAll(() => emu.close())

const RULE = "3-63 characters a-z, 0-9 and '-', starting and ending with a letter or digit, without '--'"

describe('bucket names in the emulator', () => {
  it('startEmulator refuses a bucket NOS would refuse, naming it', async () => {
    await expect(startEmulator({ buckets: ['b'] })).rejects.toThrow(new TypeError(`buckets: "b" is not a bucket name NOS accepts (${RULE})`))
    await expect(startEmulator({ buckets: [{ name: 'a--b', acl: 'public-read' }] })).rejects.toThrow(/^buckets: "a--b" is not a bucket name NOS accepts/)
  })

  it('both command lines refuse --bucket and --public-bucket names NOS would refuse', () => {
    expect(() => parseCli(['--bucket', 'ok-name', '--bucket', 'B'])).toThrow(new TypeError(`--bucket: "B" is not a bucket name NOS accepts (${RULE})`))
    expect(() => emulatorOptionsFrom({ publicBucket: ['x'] })).toThrow(new TypeError(`--public-bucket: "x" is not a bucket name NOS accepts (${RULE})`))
    expect(emulatorOptionsFrom({ bucket: ['ok-name'], publicBucket: ['pub'] }).buckets).toEqual([{ name: 'ok-name' }, { name: 'pub', acl: 'public-read' }])
  })

  it('nos-emulator and nos serve exit 2 with the same message for --bucket b, before listening', async () => {
    const ROOT = new URL('../../', import.meta.url).pathname
    const run = (script: string, args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: { ...process.env, NOS_ACCESS_KEY_ID: '', NOS_ACCESS_KEY_SECRET: '' } }, (e, stdout, stderr) =>
          resolve({ code: e ? ((e as { code?: number }).code ?? null) : 0, stdout, stderr }),
        )
      })
    const [emulator, serve] = await Promise.all([run('src/emulator/cli.ts', ['--port', '0', '--bucket', 'b']), run('src/cli/main.ts', ['serve', '--port', '0', '--bucket', 'b'])])
    const message = `--bucket: "b" is not a bucket name NOS accepts (${RULE})`
    expect([emulator.code, emulator.stdout, emulator.stderr.split('\n')[0]]).toEqual([2, '', `nos-emulator: ${message}`])
    expect([serve.code, serve.stdout]).toEqual([2, ''])
    expect(serve.stderr).toContain(message)
  })

  it('answers 400 InvalidBucketName to create, read, write and list with such a name', async () => {
    for (const bucket of ['ab', 'a--b', 'x'.repeat(64), '-ab']) {
      const replies = await Promise.all([
        c.send({ method: 'PUT', bucket }),
        c.send({ method: 'HEAD', bucket }),
        c.send({ bucket }),
        c.send({ method: 'PUT', bucket, key: 'k', body: 'x' }),
        c.send({ bucket, key: 'k' }),
      ])
      const bad = [400, 'InvalidBucketName']
      // A HEAD answer has no body to carry the code.
      expect(replies.map((r) => [r.status, errorCode(r)])).toEqual([bad, [400, undefined], bad, bad, bad])
    }
    expect((await c.send({ method: 'PUT', bucket: 'abc' })).status).toBe(200)
  })
})
