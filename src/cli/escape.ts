/**
 * Names printed for people never carry control characters. A key may hold any character, and printing
 * `\x1b]0;pwned\x07` or `\r` raw lets a bucket rewrite the user's terminal or hide lines from a log. So every
 * line `nos` prints (results, warnings, errors, on a terminal or not) escapes them, C style, reversibly:
 *
 * | character                                                   | printed as          |
 * |-------------------------------------------------------------|---------------------|
 * | `\` (so that the escaping can be undone)                     | `\\`                |
 * | TAB, LF, CR                                                  | `\t`, `\n`, `\r`    |
 * | other C0 controls, DEL, C1 controls (U+0000-001F, 007F-009F) | `\xHH`              |
 * | bidi controls and line/paragraph separators (U+061C, U+200E, U+200F, U+2028-202E, U+2066-2069) | `\u{HHHH}` |
 *
 * Everything else, CJK and emoji included, is printed as it is. The same escaping is used whether or not stdout
 * is a terminal: a key with a newline would otherwise split into two lines for `while read` loops and `grep`,
 * and a stable, reversible form is what scripts can rely on (`unescapeText` undoes it). For the exact bytes use
 * `--json`, where keys are JSON strings (`jsonText` also writes DEL, C1 and bidi controls as `\uXXXX`).
 * @module
 */

/** Characters that must not reach a terminal raw (see the table above). */
const UNSAFE = /[\\\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g

const NAMED: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' }

function hex(code: number, width: number): string {
  return code.toString(16).toUpperCase().padStart(width, '0')
}

/**
 * Escapes control characters and backslashes (reversible; see the module comment).
 * @example escapeText('a\nb\\c\x1b[31m') // 'a\\nb\\\\c\\x1B[31m'
 */
export function escapeText(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const named = NAMED[c]
    if (named) return named
    const code = c.charCodeAt(0)
    return code <= 0xff ? `\\x${hex(code, 2)}` : `\\u{${hex(code, 4)}}`
  })
}

const ESCAPE = /\\(?:x([0-9A-Fa-f]{2})|u\{([0-9A-Fa-f]{1,6})\}|([\\tnr]))/g
const LETTERS: Record<string, string> = { '\\': '\\', t: '\t', n: '\n', r: '\r' }

/**
 * Undoes `escapeText` (for scripts that read `nos` output and need the original key).
 * @example unescapeText('a\\nb') // 'a\nb'
 */
export function unescapeText(text: string): string {
  return text.replace(ESCAPE, (_, x: string | undefined, u: string | undefined, letter: string | undefined) => {
    if (letter) return LETTERS[letter]!
    return String.fromCodePoint(parseInt((x ?? u)!, 16))
  })
}

/** JSON.stringify escapes C0 controls only; DEL, C1 and bidi controls are written as `\uXXXX` too (still exact). */
const JSON_UNSAFE = /[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g

/**
 * A JSON document, indented, that is exact (keys unchanged once parsed) and safe to show on a terminal.
 * @example jsonText({ key: 'a\u202eb' }) // '{\n  "key": "a\\u202eb"\n}'
 */
export function jsonText(doc: unknown): string {
  return JSON.stringify(doc, null, 2).replace(JSON_UNSAFE, (c) => `\\u${hex(c.charCodeAt(0), 4).toLowerCase()}`)
}
