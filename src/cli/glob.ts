/**
 * The glob patterns of `--exclude`/`--include`, with the meaning `aws s3 sync` gives them (Python's fnmatch):
 * `*` matches any run of characters including `/`, `?` any one character, `[abc]`, `[a-z]` one of a set and
 * `[!abc]` one character not in it; everything else is literal (a `[` without its `]` too). A pattern matches
 * the whole name, which is the path relative to the source (or destination) root, with `/` separators.
 *
 * Written here rather than taken from picomatch or minimatch: those follow shell rules where `*` stops at `/`
 * (and add braces, extglobs and dot-file rules), so `--exclude '*.log'` would not exclude `a/b.log` as it does
 * in `aws s3 sync`. The translation to a RegExp is checked against a direct backtracking matcher by a property
 * test (test/cli/glob-filters.test.ts).
 * @module
 */
import { UsageError } from './errors.js'

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g

/** The body of a `[...]` set starting after `[` at `i`, and the index after its `]`; undefined when unclosed. */
function readSet(pattern: string, i: number): { source: string; next: number } | undefined {
  let j = i
  let negate = false
  if (pattern[j] === '!') {
    negate = true
    j++
  }
  // A ']' first in the set is a member, not its end.
  const end = pattern.indexOf(']', pattern[j] === ']' ? j + 1 : j)
  if (end < 0) return undefined
  const body = pattern.slice(j, end).replace(/[\\\]\[^]/g, (c) => `\\${c}`)
  return { source: `[${negate ? '^' : ''}${body}]`, next: end + 1 }
}

/**
 * A RegExp for a glob (anchored, Unicode aware); a malformed set such as `[z-a]` is a UsageError naming the flag.
 * @example globToRegExp('*.log').test('a/b.log') // true
 */
export function globToRegExp(pattern: string, flag = 'pattern'): RegExp {
  let source = ''
  let i = 0
  while (i < pattern.length) {
    const c = String.fromCodePoint(pattern.codePointAt(i)!)
    const set = c === '[' ? readSet(pattern, i + 1) : undefined
    if (set) {
      source += set.source
      i = set.next
      continue
    }
    // Consecutive stars are one (keeps the RegExp free of nested backtracking).
    if (c === '*') source += source.endsWith('[\\s\\S]*') ? '' : '[\\s\\S]*'
    else if (c === '?') source += '[\\s\\S]'
    else source += c.replace(REGEX_SPECIAL, (s) => `\\${s}`)
    i += c.length
  }
  try {
    return new RegExp(`^${source}$`, 'u')
  } catch {
    throw new UsageError(`${flag}: bad pattern ${JSON.stringify(pattern)} (a [set] is malformed)`)
  }
}
