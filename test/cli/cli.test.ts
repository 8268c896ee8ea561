/** Exit codes, error messages, secrets, credentials precedence, help and `nos serve`. */
import { createServer } from 'node:net'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { main } from '../../src/cli/main.js'
import { NosClient } from '../../src/node.js'
import { VERSION, buildProgram } from '../../src/cli/program.js'
import { newRunState } from '../../src/cli/context.js'
import { AK, ROOT, SK, harness, runNos, spawnNos, type Harness } from './helpers.js'

let h: Harness

beforeAll(async () => {
  h = await harness()
  await h.client.putObject({ bucket: 'bkt', key: 'here.txt', body: 'here' })
})
afterAll(() => h.close())

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  const { port } = srv.address() as { port: number }
  await new Promise<void>((r) => srv.close(() => r()))
  return port
}

describe('exit codes and errors', () => {
  it('bad URI, unknown option, missing argument: 2', async () => {
    const cases = [['ls', 'nos://Not_A_Bucket/x'], ['ls', '--no-such-flag'], ['cp', 'nos://bkt/here.txt'], ['presign', 'http://x/y'], ['frobnicate']]
    const runs = await Promise.all(cases.map((args) => h.nos(args)))
    runs.forEach((r, i) => {
      expect(r.code, cases[i]!.join(' ')).toBe(2)
      expect(r.stderr, cases[i]!.join(' ')).toMatch(/^nos: /)
    })
  })

  it('missing key: 1, with the NOS error code and request id; --json adds an error document', async () => {
    const r = await h.nos(['rm', '--json', 'nos://bkt/no-such-key'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^nos: .*404.*\[code NoSuchKey, request id [0-9a-f]+\]$/m)
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'NoSuchKey', statusCode: 404, exitCode: 1, requestId: expect.any(String) } })
    const dl = await h.nos(['cp', 'nos://bkt/no-such-key', join(h.dir, 'x')])
    expect(dl.code).toBe(1)
    expect(dl.stderr).toMatch(/^nos: nos:\/\/bkt\/no-such-key: not found: .*404/m)
  })

  it('unreachable endpoint: 3', async () => {
    const r = await h.nos(['ls', 'nos://bkt'], { env: { NOS_ENDPOINT: `http://127.0.0.1:${await closedPort()}` } })
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/^nos: .*(ECONNREFUSED|fetch failed)/m)
  })

  it('wrong credentials: 1 (SignatureDoesNotMatch), and the secret is never printed', async () => {
    const secret = 'flag-secret-NEVER-PRINT-42'
    const [r, usage, help, ok] = await Promise.all([
      h.nos(['ls', '--json', 'nos://bkt', '--access-key-secret', secret]),
      h.nos(['--access-key-secret', secret, 'ls', 'nos://BAD']),
      h.nos(['--help'], { env: { NOS_ACCESS_KEY_SECRET: secret } }),
      h.nos(['ls', '--json', 'nos://bkt']),
    ])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/SignatureDoesNotMatch/)
    for (const s of [r.stdout, r.stderr]) {
      expect(s).not.toContain(secret)
      expect(s).not.toContain(SK)
    }
    expect(usage.code).toBe(2)
    expect(usage.stderr + usage.stdout).not.toContain(secret)
    expect(help.code).toBe(0)
    expect(help.stdout).not.toContain(secret)
    expect(ok.code).toBe(0)
    expect(ok.stdout + ok.stderr).not.toContain(SK)
  })
})

describe('credentials', () => {
  it('come from flags, then environment, then the config file', async () => {
    const cfg = join(h.dir, 'cfg.json')
    await writeFile(cfg, JSON.stringify({ accessKeyId: AK, accessKeySecret: SK, endpoint: h.emu.endpoint }))
    const bare = { NOS_ENDPOINT: '', NOS_ACCESS_KEY_ID: '', NOS_ACCESS_KEY_SECRET: '' }
    // config file only
    expect((await h.nos(['ls', '--config', cfg, 'nos://bkt'], { env: bare })).stdout).toContain('here.txt')
    // the default config file, ~/.nos-sdk/config.json
    await mkdir(join(h.dir, '.nos-sdk'), { recursive: true })
    await writeFile(join(h.dir, '.nos-sdk', 'config.json'), JSON.stringify({ accessKeyId: AK, accessKeySecret: 'wrong-secret-in-file', endpoint: h.emu.endpoint }))
    expect((await h.nos(['ls', 'nos://bkt'], { env: bare })).code).toBe(1)
    // environment beats the file
    expect((await h.nos(['ls', 'nos://bkt'], { env: { NOS_ENDPOINT: '' } })).code).toBe(0)
    // flags beat the environment
    const flagged = await h.nos(['ls', '--access-key-secret', 'wrong-secret-flag', 'nos://bkt'])
    expect(flagged.code).toBe(1)
    const fixed = await h.nos(['ls', '--access-key-id', AK, '--access-key-secret', SK, '--endpoint', h.emu.endpoint, 'nos://bkt'], { env: { ...bare, NOS_ACCESS_KEY_SECRET: 'wrong' } })
    expect(fixed.code).toBe(0)
    // a broken config file is a usage error that does not quote the file
    await writeFile(cfg, `{ "accessKeySecret": "${SK}", oops }`)
    const broken = await h.nos(['ls', '--config', cfg, 'nos://bkt'], { env: bare })
    expect(broken.code).toBe(2)
    expect(broken.stderr).toMatch(/not valid JSON/)
    expect(broken.stderr).not.toContain(SK)
  })
})

describe('help', () => {
  it('nos --help documents commands, environment and exit codes; each command has examples', async () => {
    const r = await h.nos(['--help'])
    expect(r.code).toBe(0)
    for (const s of ['ls', 'cp', 'mv', 'sync', 'cat', 'stat', 'rm', 'mb', 'rb', 'presign', 'serve', 'completion', 'NOS_ACCESS_KEY_ID', 'NOS_ENDPOINT', 'NOS_STATE_DIR', 'Exit codes', '130']) expect(r.stdout).toContain(s)
    const [serveHelp, version] = await Promise.all([h.nos(['serve', '--help']), h.nos(['--version'])])
    expect(serveHelp.code).toBe(0)
    expect(serveHelp.stdout).toMatch(/Examples:\n\s+\$ nos serve/)
    expect(version.stdout.trim()).toBe(VERSION)
  })

  it('every command --help documents every flag and has examples (in process: main() is the same entry)', async () => {
    const program = buildProgram(newRunState())
    expect(program.commands.map((c) => c.name()).sort()).toEqual(['cat', 'completion', 'cp', 'ls', 'mb', 'mv', 'presign', 'rb', 'rm', 'serve', 'stat', 'sync'])
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    try {
      for (const cmd of program.commands) {
        write.mockClear()
        expect(await main([cmd.name(), '--help']), cmd.name()).toBe(0)
        const text = write.mock.calls.map((c) => String(c[0])).join('')
        expect(text, cmd.name()).toMatch(new RegExp(`Usage: nos ${cmd.name()} `))
        expect(text, cmd.name()).toMatch(/Examples:\n\s+\$ (nos |source )/)
        for (const flag of ['--endpoint', '--json', ...cmd.options.map((o) => o.long!)]) expect(text, `${cmd.name()} ${flag}`).toContain(flag)
        for (const o of cmd.options) expect(o.description.length, `${cmd.name()} ${o.long}`).toBeGreaterThan(10)
      }
    } finally {
      write.mockRestore()
    }
  })

  it('package.json version', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string }
    expect(VERSION).toBe(pkg.version)
  })
})

describe('nos serve', () => {
  it('runs an emulator until SIGTERM and prints its endpoint', async () => {
    const child = spawnNos(['serve', '--port', '0', '--access-key', 'serveAK', '--secret-key', 'serve-secret-XYZ', '--bucket', 'served', '--quiet'], {})
    let out = ''
    let err = ''
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d))
    const exit = new Promise<number | null>((r) => child.on('close', (code) => r(code)))
    try {
      const endpoint = await new Promise<string>((resolve, reject) => {
        child.stdout!.setEncoding('utf8').on('data', (d: string) => {
          out += d
          const m = /listening on (http:\/\/\S+)/.exec(out)
          if (m) resolve(m[1]!)
        })
        child.on('close', () => reject(new Error(`serve exited: ${err}`)))
      })
      const client = new NosClient({ endpoint, accessKeyId: 'serveAK', accessKeySecret: 'serve-secret-XYZ' })
      await client.putObject({ bucket: 'served', key: 'k', body: 'served body' })
      expect(await (await client.getObject({ bucket: 'served', key: 'k' })).text()).toBe('served body')
      const ls = await runNos(['ls', 'nos://served'], { NOS_ENDPOINT: endpoint, NOS_ACCESS_KEY_ID: 'serveAK', NOS_ACCESS_KEY_SECRET: 'serve-secret-XYZ', HOME: h.dir })
      expect(ls.stdout.trim()).toBe('k')
      child.kill('SIGTERM')
      expect(await exit).toBe(0)
      expect(out + err).not.toContain('serve-secret-XYZ')
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })
})
