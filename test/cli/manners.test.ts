/**
 * Unix manners and failures that do not stop a batch (item 4): each bug fixed has its
 * regression test here, named after it.
 */
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { unescapeText } from '../../src/cli/escape.js'
import { harness, objectBytes, runShell, type Harness } from './helpers.js'
import { startProxy } from './proxy.js'

let h: Harness

beforeAll(async () => {
  h = await harness()
})
afterAll(() => h.close())

async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = []
  for await (const o of h.client.iterateObjects({ bucket: 'bkt', prefix })) keys.push(o.key)
  return keys.sort()
}

describe('unix manners', () => {
  it('regression: `nos ls | head -1` exits 0 without an EPIPE stack trace (and so does cat)', async () => {
    // More than a pipe buffer (64 KiB) of listing, so that nos is still writing when head has gone.
    const long = 'x'.repeat(950)
    const keys = Array.from({ length: 120 }, (_, i) => `many/${String(i).padStart(4, '0')}-${long}`)
    await Promise.all(keys.map((key) => h.client.putObject({ bucket: 'bkt', key, body: '' })))
    await h.client.putObject({ bucket: 'bkt', key: 'big.bin', body: new Uint8Array(1 << 20) })
    const r = await runShell(
      `nos ls -r nos://bkt/many/ | head -1; echo "ls=\${PIPESTATUS[0]}" >&2
       nos cat nos://bkt/big.bin | head -c 3 | wc -c; echo "cat=\${PIPESTATUS[0]}" >&2`,
      h.env,
    )
    expect(r.stdout).toBe(`${keys[0]}\n3\n`)
    expect(r.stderr).toBe('ls=0\ncat=0\n')
  })

  it('regression: keys with control characters or ANSI escapes are printed escaped (terminal or not); --json keeps them exact', async () => {
    const keys = ['ctl/bell\x07', 'ctl/csi-\x1b[31mred\x1b[0m', 'ctl/new\nline', 'ctl/tab\there', 'ctl/back\\slash', 'ctl/bidi-\u202eexe.txt', 'ctl/c1-\u009b2J', 'ctl/中文 ok']
    await Promise.all(keys.map((key) => h.client.putObject({ bucket: 'bkt', key, body: 'x' })))
    const [ls, json] = await Promise.all([h.nos(['ls', '-r', 'nos://bkt/ctl/']), h.nos(['ls', '-r', '--json', 'nos://bkt/ctl/'])])
    const rm = await h.nos(['rm', 'nos://bkt/ctl/new\nline', 'nos://bkt/ctl/csi-\x1b[31mred\x1b[0m'])
    expect(ls.code, ls.stderr).toBe(0)
    // Nothing raw: no C0/C1 control, no DEL, no bidi override reaches the output.
    for (const out of [ls.stdout, rm.stdout, rm.stderr, json.stdout]) expect(out.replace(/\n/g, '')).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202e]/)
    const printed = ls.stdout.split('\n').filter(Boolean)
    expect(printed).toContain('ctl/csi-\\x1B[31mred\\x1B[0m')
    expect(printed).toContain('ctl/new\\nline')
    expect(printed).toContain('ctl/中文 ok')
    expect(printed.map(unescapeText).sort()).toEqual([...keys].sort())
    expect((JSON.parse(json.stdout) as { objects: { key: string }[] }).objects.map((o) => o.key).sort()).toEqual([...keys].sort())
    expect(rm.stdout.split('\n').filter(Boolean).sort()).toEqual(['delete: nos://bkt/ctl/csi-\\x1B[31mred\\x1B[0m', 'delete: nos://bkt/ctl/new\\nline'])
  })

  it('regression: `rm -r` on an object (not a prefix) warns that nothing was under the prefix and deletes nothing', async () => {
    await h.client.putObject({ bucket: 'bkt', key: 'photos.txt', body: 'p' })
    const r = await h.nos(['rm', '-r', 'nos://bkt/photos.txt'])
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('nos: warning: nothing under nos://bkt/photos.txt/: nos://bkt/photos.txt is an object, not a prefix (remove it without --recursive)\n')
    expect(await keysUnder('photos.txt')).toEqual(['photos.txt'])
  })

  it('regression: a multi-delete that reports a listed key as NoSuchKey is a failure (exit 1), not "delete:"', async () => {
    await Promise.all(['a', 'b', 'c'].map((k) => h.client.putObject({ bucket: 'bkt', key: `race/${k}.txt`, body: k })))
    const proxy = await startProxy(h.emu.endpoint)
    try {
      // Someone else deletes race/b.txt between the listing and the multi-delete.
      proxy.before({ method: 'POST', url: /\?delete/ }, () => h.client.deleteObject({ bucket: 'bkt', key: 'race/b.txt' }).then(() => {}))
      const r = await h.nos(['rm', '-r', 'nos://bkt/race/'], { env: { NOS_ENDPOINT: proxy.endpoint } })
      expect(r.code).toBe(1)
      expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(['delete: nos://bkt/race/a.txt', 'delete: nos://bkt/race/c.txt'])
      expect(r.stderr).toMatch(/^nos: failed: nos:\/\/bkt\/race\/b\.txt: not deleted: NoSuchKey/m)
      expect(r.stderr).toMatch(/^nos: 1 of 3 failed:$/m)
    } finally {
      await proxy.close()
    }
  })
})

describe('failures do not stop the batch', () => {
  it('regression: `cp -r` over a broken symbolic link reports it and exits non-zero; the other files are copied', async () => {
    const dir = join(h.dir, 'links')
    await mkdir(join(dir, 'sub'), { recursive: true })
    await writeFile(join(dir, 'a.txt'), 'a')
    await writeFile(join(dir, 'sub', 'b.txt'), 'b')
    await symlink(join(dir, 'missing-target'), join(dir, 'broken'))
    const r = await h.nos(['cp', '-r', dir, 'nos://bkt/links/'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(new RegExp(`^nos: failed: ${join(dir, 'broken')}: broken symbolic link`, 'm'))
    expect(r.stderr).toMatch(/^nos: 1 of 3 failed:$/m)
    expect(await keysUnder('links/')).toEqual(['links/a.txt', 'links/sub/b.txt'])
  })

  it('a batch with one unreadable file: the rest is transferred, exit 1, the failure listed; --fail-fast stops at it', async () => {
    // Root reads any file: run nos as an unprivileged user then, in a directory that user can use.
    const asRoot = process.getuid?.() === 0
    const dir = await mkdtemp(join(tmpdir(), 'nos-cli-unreadable-'))
    try {
      await chmod(dir, 0o777)
      const src = join(dir, 'src')
      await mkdir(src)
      await chmod(src, 0o755)
      for (const f of ['1.txt', '2-secret.txt', '3.txt', '4.txt']) await writeFile(join(src, f), f, { mode: 0o644 })
      await chmod(join(src, '2-secret.txt'), 0o000)
      const opts = { uid: asRoot ? 65534 : undefined, env: { HOME: dir, NOS_STATE_DIR: join(dir, 'state') } }
      const [r, fast] = await Promise.all([
        h.nos(['cp', '-r', '--jobs', '1', src, 'nos://bkt/unreadable/'], opts),
        h.nos(['cp', '-r', '--jobs', '1', '--fail-fast', src, 'nos://bkt/fail-fast/'], opts),
      ])
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(new RegExp(`^nos: failed: ${join(src, '2-secret.txt')}: .*EACCES`, 'm'))
      expect(r.stderr).toMatch(/^nos: 1 of 4 failed:\nnos:   .*2-secret\.txt: .*EACCES/m)
      expect(await keysUnder('unreadable/')).toEqual(['unreadable/1.txt', 'unreadable/3.txt', 'unreadable/4.txt'])
      expect(fast.code).toBe(1)
      expect(await keysUnder('fail-fast/')).toEqual(['fail-fast/1.txt'])
      expect((await objectBytes(h.client, 'bkt', 'unreadable/3.txt')).toString()).toBe('3.txt')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('nos completion', () => {
  it('bash completes commands, options and choices; zsh and fish name every command and option', async () => {
    const r = await runShell(
      `source <(nos completion bash)
       t() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _nos; echo "\${COMPREPLY[*]}"; }
       t nos sy; t nos sync --del; t nos --endpoint x mb --acl p; t nos completion ''; t nos rm -r --dry`,
      h.env,
    )
    expect(r.stdout).toBe('sync\n--delete\nprivate public-read\nbash zsh fish\n--dryrun\n')
    const [zsh, fish] = await Promise.all([h.nos(['completion', 'zsh']), h.nos(['completion', 'fish'])])
    for (const word of ['sync', 'cat', 'stat', 'completion', '--exclude', '--checksum', '--cache-control', '--range', '--dryrun', '--fail-fast']) {
      expect(zsh.stdout).toContain(word)
      expect(fish.stdout).toContain(word.replace(/^--/, '-l '))
    }
  })
})
