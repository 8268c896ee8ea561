/**
 * `--exclude`/`--include` globs (src/cli/glob.ts) and their precedence (src/cli/filters.ts), each checked
 * against a reference model written differently: a backtracking matcher for the globs, a forward fold for
 * "the last matching filter wins".
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { UsageError } from '../../src/cli/errors.js'
import { filter, isIncluded, type Filter } from '../../src/cli/filters.js'
import { globToRegExp } from '../../src/cli/glob.js'

type SetItem = string | [string, string]

/** fnmatch's `[...]` read directly: members and ranges, negation, the index after `]`. */
function readSet(p: string[], i: number): { negate: boolean; items: SetItem[]; next: number } | undefined {
  let j = i
  const negate = p[j] === '!'
  if (negate) j++
  const start = j
  let end = p[j] === ']' ? j + 1 : j
  while (end < p.length && p[end] !== ']') end++
  if (end >= p.length) return undefined
  const body = p.slice(start, end)
  const items: SetItem[] = []
  for (let k = 0; k < body.length; k++) {
    if (body[k + 1] === '-' && k + 2 < body.length) items.push([body[k]!, body[(k += 2)]!])
    else items.push(body[k]!)
  }
  return { negate, items, next: end + 1 }
}

const cp = (c: string) => c.codePointAt(0)!

/** Reference matcher: backtracking over code points, with memoisation. */
function refMatch(pattern: string, name: string): boolean {
  const p = Array.from(pattern)
  const s = Array.from(name)
  const memo = new Map<number, boolean>()
  const m = (i: number, j: number): boolean => {
    const k = i * (s.length + 1) + j
    if (memo.has(k)) return memo.get(k)!
    let r: boolean
    const c = p[i]
    const set = c === '[' ? readSet(p, i + 1) : undefined
    if (i === p.length) r = j === s.length
    else if (c === '*') r = m(i + 1, j) || (j < s.length && m(i, j + 1))
    else if (c === '?') r = j < s.length && m(i + 1, j + 1)
    else if (set) {
      const hit = j < s.length && set.items.some((it) => (typeof it === 'string' ? it === s[j] : cp(it[0]) <= cp(s[j]!) && cp(s[j]!) <= cp(it[1])))
      r = j < s.length && hit !== set.negate && m(set.next, j + 1)
    } else r = j < s.length && s[j] === c && m(i + 1, j + 1)
    memo.set(k, r)
    return r
  }
  return m(0, 0)
}

const ALPHABET = ['a', 'b', '-', '/', '.', ']', '[', '\\', '!', '^', '😀', '中', '$', '(']
const names = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 8 }).map((a) => a.join(''))
const patterns = fc.array(fc.constantFrom(...ALPHABET, '*', '?', '*', '[', ']'), { maxLength: 8 }).map((a) => a.join(''))

/** The glob's RegExp, or undefined for a pattern refused as malformed (a range out of order). */
function compiled(pattern: string): RegExp | undefined {
  try {
    return globToRegExp(pattern)
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError)
    return undefined
  }
}

describe('globs', () => {
  it('examples (as aws s3 sync): * crosses /, sets and negated sets, the rest literal', () => {
    const t = (p: string, s: string) => globToRegExp(p).test(s)
    expect(t('*.log', 'a/b/c.log')).toBe(true)
    expect(t('logs/*', 'logs/2024/x')).toBe(true)
    expect(t('?.txt', 'a.txt')).toBe(true)
    expect(t('?.txt', 'ab.txt')).toBe(false)
    expect(t('[ab].txt', 'b.txt')).toBe(true)
    expect(t('[!ab].txt', 'b.txt')).toBe(false)
    expect(t('a[.txt', 'a[.txt')).toBe(true)
    expect(t('(x)+$', '(x)+$')).toBe(true)
    expect(t('😀?', '😀中')).toBe(true)
    expect(() => globToRegExp('[z-a]', '--exclude')).toThrow(/--exclude: bad pattern/)
  })

  it('property: the RegExp translation matches exactly what the backtracking reference matches', () => {
    fc.assert(
      fc.property(patterns, names, (pattern, name) => {
        const re = compiled(pattern)
        if (re) expect(re.test(name), `${JSON.stringify(pattern)} on ${JSON.stringify(name)}`).toBe(refMatch(pattern, name))
      }),
      { numRuns: 5000 },
    )
  })
})

describe('filter precedence', () => {
  /** Reference: start included, let every matching filter in order set the state. */
  const model = (name: string, filters: Filter[]) => filters.reduce((included, f) => (refMatch(f.pattern, name) ? f.kind === 'include' : included), true)

  it('examples: --exclude "*" --include "*.jpg" keeps JPEGs; the other order keeps nothing', () => {
    expect(isIncluded('a/b.jpg', [filter('exclude', '*'), filter('include', '*.jpg')])).toBe(true)
    expect(isIncluded('a/b.txt', [filter('exclude', '*'), filter('include', '*.jpg')])).toBe(false)
    expect(isIncluded('a/b.jpg', [filter('include', '*.jpg'), filter('exclude', '*')])).toBe(false)
    expect(isIncluded('anything', [])).toBe(true)
  })

  it('property: the last matching filter decides, as the reference model does', () => {
    const filters = fc.array(fc.tuple(fc.constantFrom('exclude' as const, 'include' as const), patterns), { maxLength: 5 })
    fc.assert(
      fc.property(filters, names, (specs, name) => {
        const fs = specs.filter(([, p]) => compiled(p)).map(([kind, p]) => filter(kind, p))
        expect(isIncluded(name, fs)).toBe(model(name, fs))
      }),
      { numRuns: 3000 },
    )
  })
})
