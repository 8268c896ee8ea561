/**
 * Config and `--json` contracts: flags > environment > file, the file read only for what is
 * missing; a UTF-8 BOM accepted; syntax errors named by file, line and column without quoting the file;
 * unknown keys and a secret readable by others warned about; one JSON document for every failure, usage
 * errors of the argument parser included.
 */
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveCredentials } from '../../src/cli/config.js'
import { UsageError } from '../../src/cli/errors.js'
import { AK, SK, harness, type Harness } from './helpers.js'

let h: Harness
let home: string
const bare = { NOS_ENDPOINT: '', NOS_ACCESS_KEY_ID: '', NOS_ACCESS_KEY_SECRET: '' }

beforeAll(async () => {
  h = await harness()
  await h.client.putObject({ bucket: 'bkt', key: 'listed.txt', body: 'x' })
  home = join(h.dir, 'home')
  await mkdir(join(home, '.nos-sdk'), { recursive: true })
})
afterAll(() => h.close())

describe('config file (subprocess)', () => {
  it('regression: a malformed config file does not stop a command whose flags or environment give every value', async () => {
    const file = join(home, '.nos-sdk', 'config.json')
    await writeFile(file, `{\n  "accessKeyId": "${AK}",\n  "accessKeySecret": "${SK}"\n  "endpoint": oops\n}\n`)
    const flags = ['--endpoint', h.emu.endpoint, '--access-key-id', AK, '--access-key-secret', SK]
    const [byFlags, byEnv, needsFile] = await Promise.all([
      h.nos(['ls', ...flags, 'nos://bkt'], { env: { ...bare, HOME: home } }),
      h.nos(['ls', 'nos://bkt'], { env: { HOME: home } }),
      h.nos(['ls', 'nos://bkt'], { env: { ...bare, HOME: home } }),
    ])
    expect([byFlags.code, byFlags.stdout, byFlags.stderr]).toEqual([0, 'listed.txt\n', ''])
    expect([byEnv.code, byEnv.stdout]).toEqual([0, 'listed.txt\n'])
    expect(needsFile.code).toBe(2)
    expect(needsFile.stderr).toBe(`nos: config file ${file} is not valid JSON, line 4, column 3: expected ',' or '}' (expected { "accessKeyId", "accessKeySecret", "endpoint" })\n`)
    expect(needsFile.stderr).not.toContain(SK)
  })

  it('regression: a UTF-8 BOM is accepted; unknown keys and a secret readable by others are warned about', async () => {
    const file = join(h.dir, 'bom.json')
    await writeFile(file, `\uFEFF${JSON.stringify({ access_key_id: AK, accessKeyId: AK, accessKeySecret: SK, endpoint: h.emu.endpoint })}`)
    await chmod(file, 0o644)
    const open = await h.nos(['ls', '--config', file, 'nos://bkt'], { env: bare })
    expect([open.code, open.stdout], open.stderr).toEqual([0, 'listed.txt\n'])
    expect(open.stderr).toBe(
      `nos: warning: config file ${file}: unknown key "access_key_id" ignored (did you mean "accessKeyId"?); expected keys: "accessKeyId", "accessKeySecret", "endpoint"\n` +
        `nos: warning: config file ${file} holds the access key secret and other users can access it (mode 644): run chmod 600 ${file}\n`,
    )
    await chmod(file, 0o600)
    const quiet = await h.nos(['ls', '--config', file, 'nos://bkt'], { env: bare })
    expect(quiet.stderr).not.toMatch(/other users/)
  })
})

describe('--json: one document for every failure', () => {
  it('regression: usage errors of the argument parser (unknown option, missing argument, bad choice) print one JSON document', async () => {
    const runs = await Promise.all([
      h.nos(['ls', '--json', '--no-such-flag']),
      h.nos(['--json', 'stat']),
      h.nos(['mb', '--json', '--acl', 'world-writable', 'nos://new-bucket']),
      h.nos(['--json', 'frobnicate']),
      h.nos(['cp', '--json', 'nos://bkt/only-one']),
      h.nos(['ls', '--json', '--x\x1b]0;title\x07']),
    ])
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(2)
      const doc = JSON.parse(r.stdout) as { error: { kind: string; exitCode: number; message: string } }
      expect(doc.error).toMatchObject({ kind: 'UsageError', exitCode: 2 })
      expect(r.stderr).toMatch(/^nos: /)
    }
    expect(JSON.parse(runs[0]!.stdout).error).toMatchObject({ code: 'commander.unknownOption', message: "unknown option '--no-such-flag'" })
    // What was typed is quoted escaped, like every name nos prints.
    expect(runs[5]!.stderr).toMatch(/^nos: unknown option '--x\\x1B\]0;title\\x07'$/m)
    const [help, version] = await Promise.all([h.nos(['--json', 'sync', '--help']), h.nos(['--json', '--version'])])
    expect([help.code, version.code]).toEqual([0, 0])
  })

  it('a batch failure prints one document with what was done, the failures and the error', async () => {
    const r = await h.nos(['rm', '--json', 'nos://bkt/listed.txt', 'nos://bkt/absent.txt'])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout)).toMatchObject({
      deleted: ['nos://bkt/listed.txt'],
      failures: [{ subject: 'nos://bkt/absent.txt', code: 'NoSuchKey', exitCode: 1 }],
      error: { kind: 'BatchError', exitCode: 1, failed: 1, message: '1 of 2 failed' },
    })
  })
})

describe('config file (in process)', () => {
  async function configFile(text: string, mode = 0o600): Promise<string> {
    const file = join(await mkdtemp(join(h.dir, 'cfg-')), 'config.json')
    await writeFile(file, text, { mode })
    return file
  }

  it('is read only for what flags and environment leave missing', async () => {
    const broken = await configFile('{ not json')
    const all = { accessKeyId: 'id', accessKeySecret: 'secret', endpoint: 'e.example', config: broken }
    expect(resolveCredentials(all, {})).toMatchObject({ accessKeyId: 'id', endpoint: 'e.example' })
    expect(resolveCredentials({ config: broken }, { NOS_ACCESS_KEY_ID: 'i', NOS_ACCESS_KEY_SECRET: 's', NOS_ENDPOINT: 'e' })).toMatchObject({ accessKeyId: 'i' })
    expect(() => resolveCredentials({ config: broken, accessKeyId: 'id', accessKeySecret: 'secret' }, {})).toThrow(UsageError)
  })

  it('names the line of a key whose value is not a string, and never quotes the file', async () => {
    const file = await configFile('{\n  "accessKeyId": "id",\n  "accessKeySecret": "s3cr3t-value",\n  "endpoint": 9000\n}')
    expect(() => resolveCredentials({ config: file }, {})).toThrow(`config file ${file}, line 4: "endpoint" must be a string`)
    const bad = await configFile('{ "accessKeySecret": "s3cr3t-value", }')
    let message = ''
    try {
      resolveCredentials({ config: bad }, {})
    } catch (e) {
      message = (e as Error).message
    }
    expect(message).toBe(`config file ${bad} is not valid JSON, line 1, column 38: expected a string (expected { "accessKeyId", "accessKeySecret", "endpoint" })`)
    expect(message).not.toContain('s3cr3t')
  })

  it('warns once per unknown key and about a readable secret only when the file holds one', async () => {
    const warnings: string[] = []
    const noSecret = await configFile(JSON.stringify({ endpoint: 'e.example', region: 'hz' }), 0o644)
    expect(resolveCredentials({ config: noSecret }, {}, (w) => warnings.push(w)).endpoint).toBe('e.example')
    expect(warnings).toEqual([`config file ${noSecret}: unknown key "region" ignored; expected keys: "accessKeyId", "accessKeySecret", "endpoint"`])
  })
})
