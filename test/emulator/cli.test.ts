/** The nos-emulator command line. */
import { spawn, execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { parseCli } from '../../src/emulator/cli-args.js'

const run = promisify(execFile)
const ROOT = new URL('../../', import.meta.url).pathname
const CLI = ['--import', 'tsx', 'src/emulator/cli.ts']

describe('nos-emulator CLI', () => {
  it('--help documents every option', async () => {
    const { stdout } = await run(process.execPath, [...CLI, '--help'], { cwd: ROOT })
    for (const opt of ['--port', '--host', '--access-key', '--secret-key', '--bucket', '--public-bucket', '--data-dir', '--cors', '--endpoint-host', '--quiet', '--help']) {
      expect(stdout).toContain(opt)
    }
  })

  it('parses options into startEmulator options', () => {
    const cmd = parseCli(['--port', '0', '--access-key', 'AK', '--secret-key', 'SK', '--bucket', 'bkt', '--bucket', 'cbk', '--public-bucket', 'pub', '--cors', 'permissive', '--quiet', '--data-dir', '/tmp/x'])
    expect(cmd).toEqual({
      help: false,
      options: {
        port: 0,
        host: '127.0.0.1',
        credentials: [{ accessKeyId: 'AK', accessKeySecret: 'SK' }],
        buckets: [{ name: 'bkt' }, { name: 'cbk' }, { name: 'pub', acl: 'public-read' }],
        log: false,
        dataDir: '/tmp/x',
        cors: 'permissive',
      },
    })
    expect(() => parseCli(['--access-key', 'AK'])).toThrow(/secret-key/)
    expect(() => parseCli(['--port', 'x'])).toThrow(/port/)
    expect(() => parseCli(['--nope'])).toThrow()
  })

  it('prints the endpoint when ready, serves requests and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [...CLI, '--port', '0', '--access-key', 'AK', '--secret-key', 'SK', '--public-bucket', 'pub', '--quiet'], { cwd: ROOT })
    try {
      const endpoint = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout.on('data', (d: Buffer) => {
          out += d
          const m = /listening on (http:\/\/\S+)/.exec(out)
          if (m) resolve(m[1]!)
        })
        child.on('exit', (code) => reject(new Error(`exited ${code}`)))
        setTimeout(() => reject(new Error(`no endpoint printed: ${out}`)), 15_000).unref()
      })
      const r = await fetch(`${endpoint}/pub/`)
      expect(r.status).toBe(200)
      expect(r.headers.get('server')).toBe('NOS')
      const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
      child.kill('SIGTERM')
      expect(await exit).toBe(0)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })
})
