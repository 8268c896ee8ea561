/**
 * Where a JSON text first goes wrong, as line and column, without quoting the text (a config file holds a
 * secret, and V8's own messages quote the input and only sometimes give a position). A small validator of
 * RFC 8259 JSON; a property test checks that it accepts exactly what JSON.parse accepts.
 * @module
 */

/** The first syntax error of a JSON text. */
export interface JsonSyntaxError {
  /** Offset in UTF-16 code units. */
  offset: number
  line: number
  column: number
  /** What was expected there, e.g. `',' or '}'`. */
  expected: string
}

class Fail {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const STRING_CHUNK = /[^"\\\x00-\x1f]*/y
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y

class Scanner {
  i = 0
  constructor(readonly text: string) {}

  ws(): void {
    while (' \t\n\r'.includes(this.text[this.i] ?? 'x')) this.i++
  }

  expect(c: string, what = `'${c}'`): void {
    if (this.text[this.i] !== c) throw new Fail(this.i, what)
    this.i++
  }

  sticky(re: RegExp): boolean {
    re.lastIndex = this.i
    const m = re.exec(this.text)
    if (m && m[0] !== '') this.i += m[0].length
    return Boolean(m && m[0] !== '')
  }

  string(): void {
    this.expect('"', 'a string')
    for (;;) {
      this.sticky(STRING_CHUNK)
      const c = this.text[this.i]
      if (c === '"') return void this.i++
      if (c !== '\\' || !this.sticky(ESCAPE)) throw new Fail(this.i, c === undefined ? "'\"'" : 'a valid string character or escape')
    }
  }

  list(close: string, item: () => void): void {
    this.i++
    this.ws()
    if (this.text[this.i] === close) return void this.i++
    for (;;) {
      item()
      this.ws()
      if (this.text[this.i] === close) return void this.i++
      this.expect(',', `',' or '${close}'`)
      this.ws()
    }
  }

  value(): void {
    this.ws()
    const c = this.text[this.i]
    if (c === '{') {
      return this.list('}', () => {
        this.string()
        this.ws()
        this.expect(':')
        this.value()
      })
    }
    if (c === '[') return this.list(']', () => this.value())
    if (c === '"') return this.string()
    for (const word of ['true', 'false', 'null']) if (this.text.startsWith(word, this.i)) return void (this.i += word.length)
    if (!this.sticky(NUMBER)) throw new Fail(this.i, 'a JSON value')
  }
}

/**
 * The first syntax error of `text`, or undefined when it is valid JSON.
 * @example jsonSyntaxError('{\n "a": 1,\n}') // { offset: 11, line: 3, column: 1, expected: 'a string' }
 */
export function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const s = new Scanner(text)
  try {
    s.value()
    s.ws()
    if (s.i < text.length) throw new Fail(s.i, 'the end of the text')
    return undefined
  } catch (e) {
    if (!(e instanceof Fail)) throw e
    const before = text.slice(0, e.offset)
    const line = before.split('\n').length
    return { offset: e.offset, line, column: e.offset - (before.lastIndexOf('\n') + 1) + 1, expected: e.expected }
  }
}
