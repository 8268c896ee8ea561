/** Key -> local path mapping (src/cli/key-path.ts): a key never writes outside the destination directory. */
import fc from 'fast-check'
import { posix, win32 } from 'node:path'
import { describe, expect, it } from 'vitest'
import { localPathFor } from '../../src/cli/key-path.js'

/** Key segments biased towards the dangerous ones. */
const segment = fc.oneof(
  fc.constantFrom('..', '.', '', '...', '..\\..', 'C:', 'c:\\x', '\\\\srv', 'a\0b', '~', '..a', 'a..'),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
)
const relNames = fc.array(segment, { minLength: 1, maxLength: 6 }).map((s) => s.join('/'))

/** True when `path` is `dir` itself or inside it, as the platform's path module resolves it. */
function inside(path: typeof posix, dir: string, p: string): boolean {
  const rel = path.relative(path.resolve(dir), path.resolve(p))
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel)
}

describe('localPathFor', () => {
  it('examples', () => {
    expect(localPathFor('/out', 'a/b.txt', posix)).toEqual({ ok: true, path: '/out/a/b.txt' })
    expect(localPathFor('/out', '../etc/passwd', posix)).toMatchObject({ ok: false, reason: expect.stringMatching(/"\.\."/) })
    expect(localPathFor('/out', '/etc/passwd', posix)).toMatchObject({ ok: false, reason: expect.stringMatching(/absolute/) })
    expect(localPathFor('/out', 'a//b', posix)).toMatchObject({ ok: false })
    expect(localPathFor('C:\\out', '..\\..\\x', win32)).toMatchObject({ ok: false })
    expect(localPathFor('C:\\out', 'D:/x', win32)).toMatchObject({ ok: false })
    expect(localPathFor('/out', '..\\x', posix)).toEqual({ ok: true, path: '/out/..\\x' })
  })

  it('property: an accepted key maps strictly inside the destination (POSIX and Windows paths)', () => {
    for (const [path, dir] of [[posix, '/srv/out'], [win32, 'C:\\srv\\out']] as const) {
      fc.assert(
        fc.property(relNames, (rel) => {
          const r = localPathFor(dir, rel, path)
          if (r.ok) expect(inside(path as typeof posix, dir, r.path), `${JSON.stringify(rel)} -> ${r.path}`).toBe(true)
        }),
        { numRuns: 3000 },
      )
    }
  })

  it('property: two different accepted keys never share a file (POSIX)', () => {
    fc.assert(
      fc.property(relNames, relNames, (a, b) => {
        const [pa, pb] = [localPathFor('/out', a, posix), localPathFor('/out', b, posix)]
        if (a !== b && pa.ok && pb.ok) expect(pa.path).not.toBe(pb.path)
      }),
      { numRuns: 3000 },
    )
  })
})
