/**
 * Core purity (DESIGN rule 1), proven from the sources: the portable core (`src/**` minus the Node-only parts:
 * `src/adapters/node/**`, `src/emulator/**`, `src/cli/**`, `src/node.ts`) must not import `node:*` or a Node
 * built-in module, and must not use `process`, `Buffer`, `Deno`, `Bun` or `require(`.
 *
 * The scan is a small tokenizer, not a grep: comments are dropped, string and template literal text is blanked
 * (the code inside `${...}` is kept), regex literals are skipped, so `// process.env` in a doc comment or
 * `'Buffer'` in a message does not count, while `` `${process.env.X}` `` does. Module specifiers are checked
 * separately, before strings are blanked. A property named like a global (`obj.process`, `{ Bun: 1 }`) is not
 * a use; `globalThis.process` and `globalThis['Deno']` (any `['Deno']`) are.
 *
 * The second proof is dynamic: the contract suite runs inside workerd without Node compatibility
 * (test/runtimes/runtimes.test.ts) and inside @edge-runtime/vm.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join, relative, resolve, sep } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../..')
const SRC = join(ROOT, 'src')

/** Node-only parts of src/, relative to src/ with forward slashes. */
const EXCLUDED = [/^adapters\/node\//, /^emulator\//, /^cli\//, /^node\.ts$/]
const FORBIDDEN_GLOBALS = ['process', 'Buffer', 'Deno', 'Bun', 'require'] as const
const NODE_BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')))
/** Objects through which a global is reached (`globalThis.process`). */
const GLOBAL_OBJECTS = new Set(['globalThis', 'self', 'window', 'global'])

export interface Finding {
  line: number
  what: string
}

/**
 * Splits TypeScript source into `code` (comments, string/template text and regex bodies replaced by spaces;
 * same length and newlines as the source, so an offset means the same place in both) and the string literals
 * (with the offset of their first character of text).
 */
export function tokenize(src: string): { code: string; strings: { value: string; index: number }[] } {
  const out: string[] = []
  const strings: { value: string; index: number }[] = []
  // Template nesting: each entry counts the braces open inside one `${ ... }`.
  const templateDepth: number[] = []
  let i = 0
  // The last significant token of code, to tell a regex literal from a division.
  let lastChar = ''
  let lastWord = ''
  const blank = (s: string) => s.replace(/[^\n]/g, ' ')
  const code = (s: string) => {
    out.push(s)
    const t = s.trimEnd()
    if (!t) return
    lastChar = t[t.length - 1]!
    lastWord = /[\w$]+$/.exec(t)?.[0] ?? ''
  }
  const REGEX_AFTER_CHAR = /[(,=:[!&|?{};+\-*%<>~^]/
  const REGEX_AFTER_WORD = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'void', 'yield', 'await', 'throw', 'delete', 'new'])
  const templateText = () => {
    // From just after ` or }, through the closing ` or the opening ${.
    const start = i
    while (i < src.length) {
      const c = src[i]!
      if (c === '\\') i += 2
      else if (c === '`' || (c === '$' && src[i + 1] === '{')) {
        strings.push({ value: src.slice(start, i), index: start })
        out.push(blank(src.slice(start, i)))
        if (c === '`') {
          code('`')
          i++
        } else {
          code('${')
          i += 2
          templateDepth.push(0)
        }
        return
      } else i++
    }
    out.push(blank(src.slice(start)))
  }
  while (i < src.length) {
    const c = src[i]!
    const next = src[i + 1]
    if (c === '/' && next === '/') {
      let end = src.indexOf('\n', i)
      if (end < 0) end = src.length
      out.push(blank(src.slice(i, end)))
      i = end
    } else if (c === '/' && next === '*') {
      const close = src.indexOf('*/', i + 2)
      const end = close < 0 ? src.length : close + 2
      out.push(blank(src.slice(i, end)))
      i = end
    } else if (c === '"' || c === "'") {
      let j = i + 1
      while (j < src.length && src[j] !== c && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1
      j = Math.min(j, src.length)
      strings.push({ value: src.slice(i + 1, j), index: i + 1 })
      code(c + blank(src.slice(i + 1, j)) + (j < src.length ? src[j] : ''))
      i = j + 1
    } else if (c === '`') {
      code('`')
      i++
      templateText()
    } else if (c === '/' && (lastChar === '' || REGEX_AFTER_CHAR.test(lastChar) || REGEX_AFTER_WORD.has(lastWord))) {
      // A regex literal: find its closing slash (a class may contain '/').
      let j = i + 1
      let inClass = false
      while (j < src.length && src[j] !== '\n') {
        const d = src[j]!
        if (d === '\\') j += 2
        else if (d === '/' && !inClass) break
        else {
          if (d === '[') inClass = true
          else if (d === ']') inClass = false
          j++
        }
      }
      if (src[j] === '/') {
        code('/' + blank(src.slice(i + 1, j)) + '/')
        i = j + 1
      } else {
        code(c) // not a regex after all
        i++
      }
    } else if (templateDepth.length && c === '{') {
      templateDepth[templateDepth.length - 1]!++
      code(c)
      i++
    } else if (templateDepth.length && c === '}') {
      if (templateDepth[templateDepth.length - 1] === 0) {
        templateDepth.pop()
        code('}')
        i++
        templateText()
      } else {
        templateDepth[templateDepth.length - 1]!--
        code(c)
        i++
      }
    } else {
      code(c)
      i++
    }
  }
  return { code: out.join(''), strings }
}

const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length

/** Every forbidden import or global use in one source text. */
export function scanSource(src: string): Finding[] {
  const findings: Finding[] = []
  const { code } = tokenize(src)
  // 1. Module specifiers (read from the source: they are strings). The code text tells where an import is.
  const specifier = /\b(?:from|import|require)\s*\(?\s*(['"])([^'"\n]+)\1/g
  const noComments = tokenizeKeepStrings(src)
  for (const m of noComments.matchAll(specifier)) {
    const spec = m[2]!
    const bare = spec.replace(/^node:/, '').split('/')[0]!
    if (spec.startsWith('node:') || NODE_BUILTINS.has(bare) && !spec.startsWith('.')) {
      findings.push({ line: lineOf(noComments, m.index!), what: `import of ${spec}` })
    }
  }
  // 2. Globals, in code with comments, strings and regexes blanked.
  const ident = new RegExp(`(?<![\\w$])(${FORBIDDEN_GLOBALS.join('|')})(?![\\w$])`, 'g')
  for (const m of code.matchAll(ident)) {
    const before = code.slice(0, m.index!)
    const after = code.slice(m.index! + m[0].length)
    const dot = /([\w$]+)\s*\??\.\s*$/.exec(before)
    if (/\.\s*$/.test(before) && !(dot && GLOBAL_OBJECTS.has(dot[1]!))) continue // obj.process: a property
    if (/^\s*:(?!:)/.test(after) && /[{,]\s*$/.test(before)) continue // { Bun: ... }: a property name
    if (/^\s*\??:/.test(after) && /[{,;]\s*(?:readonly\s+)?$/.test(before)) continue // interface member
    if (m[1] === 'require' && !/^\s*\(/.test(after) && !/^\s*\./.test(after)) {
      if (!/typeof\s+$/.test(before)) continue // a `require` identifier that is neither called nor probed
    }
    findings.push({ line: lineOf(code, m.index!), what: m[1] === 'require' ? 'require(' : m[1]! })
  }
  // 3. globalThis['process'], (globalThis as any)['Deno']: any computed access by a forbidden name.
  const indexed = new RegExp(`\\[\\s*(['"\`])(${FORBIDDEN_GLOBALS.join('|')})\\1\\s*\\]`, 'g')
  for (const m of noComments.matchAll(indexed)) findings.push({ line: lineOf(noComments, m.index!), what: `globalThis['${m[2]}']` })
  return findings
}

/** The source with comments (and regex bodies) blanked but strings kept: same offsets as the source. */
function tokenizeKeepStrings(src: string): string {
  const { code, strings } = tokenize(src)
  const chars = code.split('')
  for (const s of strings) for (let k = 0; k < s.value.length; k++) chars[s.index + k] = s.value[k]!
  return chars.join('')
}

function coreFiles(): string[] {
  const files: string[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name)
      if (statSync(full).isDirectory()) walk(full)
      else if (/\.(ts|mts|cts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) files.push(full)
    }
  }
  walk(SRC)
  return files.filter((f) => !EXCLUDED.some((re) => re.test(relative(SRC, f).split(sep).join('/'))))
}

describe('the scanner', () => {
  const whats = (src: string) => scanSource(src).map((f) => f.what)

  it('ignores comments, strings and regex literals', () => {
    expect(whats('// process.env.X and Buffer.from\nconst a = 1')).toEqual([])
    expect(whats('/* require("fs"); Deno.env */ const a = 1')).toEqual([])
    expect(whats('const msg = "use Buffer or process" + \'Bun\'')).toEqual([])
    expect(whats('const t = `Deno ${1 + 1} process`')).toEqual([])
    expect(whats('const re = /["\']process/; const b = 2')).toEqual([])
    expect(whats('/** @example import x from "node:fs" */ export const a = 1')).toEqual([])
  })

  it('finds uses in code, including inside template expressions', () => {
    expect(whats('const v = process.env.X')).toEqual(['process'])
    expect(whats('const t = `${Buffer.from("x")}`')).toEqual(['Buffer'])
    expect(whats('const t = `a ${`b ${Deno.version}`} c`')).toEqual(['Deno'])
    expect(whats('if (typeof Bun !== "undefined") {}')).toEqual(['Bun'])
    expect(whats('const fs = require("fs")')).toEqual(['import of fs', 'require('])
    expect(whats('const p = globalThis.process')).toEqual(['process'])
    expect(whats("const d = (globalThis as any)['Deno']")).toEqual(["globalThis['Deno']"])
    expect(whats('let x: Buffer')).toEqual(['Buffer'])
    expect(whats('const a = 4 / 2; const b = process.argv; const c = 1 / 3')).toEqual(['process'])
  })

  it('finds node imports, static and dynamic', () => {
    expect(whats("import { createHash } from 'node:crypto'")).toEqual(['import of node:crypto'])
    expect(whats("import fs from 'fs/promises'")).toEqual(['import of fs/promises'])
    expect(whats("const m = await import('node:path')")).toEqual(['import of node:path'])
    expect(whats("export * from 'node:stream'")).toEqual(['import of node:stream'])
    expect(whats("import fetchRetry from 'fetch-retry'; import { x } from './crypto.js'")).toEqual([])
  })

  it('does not count property names', () => {
    expect(whats('const o = { process: 1, Bun: 2 }; o.process; o.Buffer?.x')).toEqual([])
    expect(whats('interface R { process?: string; readonly Deno: number }')).toEqual([])
  })
})

describe('core purity', () => {
  const files = coreFiles()

  it('scans the core files (and only them)', () => {
    const rel = files.map((f) => relative(SRC, f).split(sep).join('/'))
    expect(rel).toContain('index.ts')
    expect(rel).toContain('client/nos-client.ts')
    expect(rel).toContain('browser.ts')
    expect(rel.some((f) => f.startsWith('emulator/') || f.startsWith('adapters/node/') || f === 'node.ts')).toBe(false)
    expect(rel.length).toBeGreaterThan(15)
  })

  it('uses no node: imports, process, Buffer, Deno, Bun or require(', () => {
    const problems: string[] = []
    for (const file of files) {
      for (const f of scanSource(readFileSync(file, 'utf8'))) problems.push(`${relative(ROOT, file)}:${f.line}: ${f.what}`)
    }
    expect(problems, `the portable core must use web platform APIs only (DESIGN rule 1):\n${problems.join('\n')}`).toEqual([])
  })
})
