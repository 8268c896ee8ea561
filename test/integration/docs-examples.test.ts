/**
 * Documentation that runs: every ```ts block of README.md and every TSDoc `@example` in src/ is type-checked
 * against the sources (the TypeScript compiler API, in this process, with the repository's tsconfig), and the
 * self-contained ones are run, so an example cannot rot unnoticed. The conventions are documented for writers of
 * examples in CONTRIBUTING.md#examples-that-run:
 *
 * - In scope without an import: every export of the public entries (`nos-sdk`, `nos-sdk/node`, `nos-sdk/browser`),
 *   every export of the module whose TSDoc holds the example, and the names of PREAMBLE (`client`, `bucket`, `key`,
 *   `body`, `bytes`, `file`, `signal`, `uploadId`, ...) with the types given there. Imports an example writes work
 *   too; a name it declares itself shadows the preamble's. Top-level `await` works; `export default x` is allowed.
 * - Which examples run: all, except those that use a PREAMBLE name marked `run: false` (what only a page or a
 *   backend has, or an internal object such as `ctx` or `cfg`) and those that say `// type-check only` (they need
 *   a file, a page, or an upload in a state a short run cannot reach). An example that uses `client` (or makes a
 *   NosClient) gets an emulator of its own with buckets `my-bucket` (objects `hello.txt` 'hello' and `a.txt` 'a',
 *   a CORS rule, and a multipart upload of `big.bin` whose part 1 is `bytes`: `uploadId`, `etag`) and an empty
 *   `my-old-bucket`; a client the example makes itself is pointed at that emulator with its credentials.
 * - An expression statement followed by a literal comment, `formatGmt(0) // 'Thu, 01 Jan 1970 00:00:00 GMT'`, is
 *   checked: the run asserts the value. A comment that is not a literal (`// true with the defaults`) is prose.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'
import { beforeAll, describe, expect, it } from 'vitest'
import * as sdk from '../../src/index.js'
import * as sdkNode from '../../src/node.js'
import * as sdkBrowser from '../../src/browser.js'
import * as sdkSigner from '../../src/signer.js'
import * as emulator from '../../src/emulator/index.js'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { NosClient } from '../../src/index.js'

const ROOT = resolve(import.meta.dirname, '../..')
const VIRTUAL_DIR = join(ROOT, '.docs-examples')

/** `import('<path>').<name>` from the virtual examples' directory, for types of the sources. */
const src = (path: string, name: string) => `import('../src/${path}').${name}`
/** Under src/emulator/, `ctx`, `env` and `store` are the emulator's; elsewhere the SDK's. */
const inEmulator = (m?: string) => m?.includes('/src/emulator/') === true
const nodeSide = (m?: string) => m !== undefined && (m.endsWith('/src/node.ts') || m.includes('/src/adapters/node/'))

/**
 * Names an example may use without declaring them: their type (for the compiler, maybe depending on the module whose
 * TSDoc holds the example), and whether a run provides them (`run: false`: type-checked only, see the header).
 */
const PREAMBLE: Record<string, { type: string | ((module?: string) => string); run: boolean }> = {
  client: { type: (m) => (nodeSide(m) ? "import('nos-sdk/node').NosClient" : "import('nos-sdk').NosClient"), run: true },
  bucket: { type: 'string', run: true },
  key: { type: 'string', run: true },
  body: { type: "import('nos-sdk').BodyInput", run: true },
  bytes: { type: 'Uint8Array', run: true },
  file: { type: 'File', run: true },
  signal: { type: 'AbortSignal', run: true },
  onProgress: { type: '(progress: any) => void', run: true },
  endpoint: { type: 'string', run: true },
  accessKeyId: { type: 'string', run: true },
  accessKeySecret: { type: 'string', run: true },
  sign: { type: "import('nos-sdk').SignFunction", run: true },
  /** A multipart upload of `big.bin` in `my-bucket`, with part 1 (`bytes`) uploaded: its ETag is `etag`. */
  uploadId: { type: 'string', run: true },
  etag: { type: 'string', run: true },
  // In a page or a backend only:
  env: { type: (m) => (inEmulator(m) ? src('emulator/context.js', 'Env') : "Record<'NOS_AK' | 'NOS_SK' | 'NOS_SECRET', string>"), run: false },
  token: { type: 'string', run: false },
  input: { type: 'HTMLInputElement', run: false },
  pauseButton: { type: 'HTMLElement', run: false },
  bar: { type: 'HTMLProgressElement', run: false },
  stringToSignFromThePage: { type: 'string', run: false },
  url: { type: 'string', run: false },
  headers: { type: 'Record<string, string>', run: false },
  blob: { type: 'Blob', run: false },
  path: { type: 'string', run: false },
  // Placeholders for what the surrounding code of an internal function has at hand:
  e: { type: 'unknown', run: false },
  res: { type: 'Response', run: false },
  id: { type: 'string', run: false },
  md5: { type: 'string', run: false },
  saved: { type: 'string', run: false },
  work: { type: '(signal?: AbortSignal) => Promise<void>', run: false },
  userSignal: { type: 'AbortSignal', run: false },
  link: { type: src('core/signals.js', 'SignalLink'), run: false },
  policy: { type: src('core/retry-policy.js', 'RetryPolicy'), run: false },
  cfg: { type: (m) => (m?.includes('/src/direct-upload/') ? src('direct-upload/types.js', 'DirectConfig') : src('core/config.js', 'NosConfig')), run: false },
  args: { type: src('transfers/upload-args.js', 'UploadArgs'), run: false },
  prior: { type: `${src('transfers/session.js', 'PriorCheckpoint')} | undefined`, run: false },
  stream: { type: 'ReadableStream<Uint8Array>', run: false },
  contentLength: { type: 'number', run: false },
  parts: { type: 'unknown[]', run: false },
  send: { type: '(...args: any[]) => Promise<void>', run: false },
  ctx: { type: src('emulator/context.js', 'Ctx'), run: false },
  store: { type: (m) => (inEmulator(m) ? src('emulator/store.js', 'Store') : src('transfers/checkpoint.js', 'CheckpointStore')), run: false },
  Store: { type: `typeof ${src('emulator/store.js', 'Store')}`, run: false },
}

interface Example {
  /** `README.md:31` or `src/core/x.ts:12`. */
  where: string
  /** The module whose TSDoc holds it (for its exports), or undefined for README. */
  module?: string
  code: string
}

// ------------------------------------------------------------------------------------------------- extraction
function readmeExamples(): Example[] {
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const out: Example[] = []
  for (const m of text.matchAll(/^```ts\n([\s\S]*?)^```/gm)) {
    out.push({ where: `README.md:${text.slice(0, m.index).split('\n').length}`, code: m[1]! })
  }
  return out
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : []
  })
}

/** The `@example` blocks of a file's TSDoc comments: from the tag to the next tag or the end of the comment. */
function tsdocExamples(path: string): Example[] {
  const text = readFileSync(path, 'utf8')
  const out: Example[] = []
  for (const c of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const lines = c[0].replace(/^\/\*\*/, '').replace(/\*\/$/, '').split('\n').map((l) => l.replace(/^\s*\* ?/, ''))
    const start = text.slice(0, c.index).split('\n').length
    for (let i = 0; i < lines.length; i++) {
      const at = lines[i]!.indexOf('@example')
      if (at < 0) continue
      const body = [lines[i]!.slice(at + '@example'.length)]
      let j = i + 1
      while (j < lines.length && !/^\s*@\w/.test(lines[j]!)) body.push(lines[j++]!)
      out.push({ where: `${relative(ROOT, path)}:${start + i}`, module: path, code: body.join('\n').trim() + '\n' })
      i = j - 1
    }
  }
  return out
}

/** The source files a module imports from (relative imports, types included: an example may build what they name). */
const dependencyCache = new Map<string, string[]>()
function dependenciesOf(path: string): string[] {
  let deps = dependencyCache.get(path)
  if (deps) return deps
  deps = []
  for (const st of parsed(path).statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue
    if (st.moduleSpecifier.text.startsWith('.')) deps.push(resolve(dirname(path), st.moduleSpecifier.text.replace(/\.js$/, '.ts')))
  }
  dependencyCache.set(path, deps)
  return deps
}

/** A source file's syntax tree, parsed once for exportsOf and dependenciesOf. */
const parseCache = new Map<string, ts.SourceFile>()
function parsed(path: string): ts.SourceFile {
  let sf = parseCache.get(path)
  if (!sf) parseCache.set(path, (sf = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, false)))
  return sf
}

/** Names a module exports (syntax only: exported declarations and `export { a, b as c }`). */
const exportCache = new Map<string, string[]>()
function exportsOf(path: string): string[] {
  let names = exportCache.get(path)
  if (names) return names
  const sf = parsed(path)
  names = []
  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const e of st.exportClause.elements) names.push(e.name.text)
    } else if (ts.canHaveModifiers(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text)
      } else if ('name' in st && st.name && ts.isIdentifier(st.name as ts.Node)) {
        names.push((st.name as ts.Identifier).text)
      }
    }
  }
  exportCache.set(path, names)
  return names
}

const ENTRIES: [string, string][] = [
  ['nos-sdk', join(ROOT, 'src/index.ts')],
  ['nos-sdk/node', join(ROOT, 'src/node.ts')],
  ['nos-sdk/browser', join(ROOT, 'src/browser.ts')],
  ['nos-sdk/signer', join(ROOT, 'src/signer.ts')],
]

// ------------------------------------------------------------------------------------------------- preparation
interface Prepared extends Example {
  /** The virtual module given to the compiler. */
  source: string
  /** The example's own imports, as `[specifier, [imported, local][]]`. */
  imports: [string, [string, string][]][]
  /** The example without its imports, ready to be transpiled into a function body. */
  body: string
  /** Names it takes from the preamble, the public entries, its module and the modules its module imports. */
  free: string[]
  /** How many `expr // value` statements the run checks. */
  checks: number
  runnable: boolean
}

/**
 * The value an expression statement states in its trailing `// comment`, when that comment is a literal
 * (`'text'`, `42`, `true`, `null`, `undefined`, or arrays and objects of those); undefined for prose.
 */
function statedValue(code: string, st: ts.ExpressionStatement): string | undefined {
  const line = code.slice(st.getEnd()).split('\n')[0]!
  const m = /^\s*;?\s*\/\/\s*(.+?)\s*$/.exec(line)
  if (!m) return undefined
  const lit = ts.createSourceFile('v.ts', `(${m[1]})`, ts.ScriptTarget.ES2022, true)
  const parseErrors = (lit as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics
  if (parseErrors?.length || lit.statements.length !== 1) return undefined
  const expr = (lit.statements[0] as ts.ExpressionStatement).expression
  const literal = (n: ts.Node): boolean =>
    ts.isParenthesizedExpression(n) ? literal(n.expression)
    : ts.isStringLiteral(n) || ts.isNumericLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) ? true
    : n.kind === ts.SyntaxKind.TrueKeyword || n.kind === ts.SyntaxKind.FalseKeyword || n.kind === ts.SyntaxKind.NullKeyword ? true
    : ts.isIdentifier(n) ? n.text === 'undefined'
    : ts.isPrefixUnaryExpression(n) ? n.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(n.operand)
    : ts.isArrayLiteralExpression(n) ? n.elements.every(literal)
    : ts.isObjectLiteralExpression(n) ? n.properties.every((p) => ts.isPropertyAssignment(p) && literal(p.initializer))
    : false
  return literal(expr) ? m[1] : undefined
}

function prepare(ex: Example, index: number): Prepared {
  // `export default x` and `export const` make sense in a handler module; inside a function they become locals.
  const code = ex.code.replace(/^export default /gm, 'const __default = ').replace(/^export (const|function|async function) /gm, '$1 ')
  const sf = ts.createSourceFile('x.ts', code, ts.ScriptTarget.ES2022, true)
  const imports: Prepared['imports'] = []
  const imported = new Set<string>()
  let body = ''
  let checks = 0
  for (const st of sf.statements) {
    const stated = ts.isExpressionStatement(st) ? statedValue(code, st) : undefined
    if (stated !== undefined) {
      // `expr // 'value'`: the run checks that expr is value.
      body += `__expect(await (${code.slice(st.getStart(), st.getEnd()).replace(/;$/, '')}), ${stated}, ${JSON.stringify(stated)});\n`
      checks++
    } else if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const names: [string, string][] = []
      const nb = st.importClause?.namedBindings
      if (nb && ts.isNamedImports(nb)) for (const e of nb.elements) names.push([(e.propertyName ?? e.name).text, e.name.text])
      for (const [, local] of names) imported.add(local)
      imports.push([st.moduleSpecifier.text, names])
    } else {
      body += code.slice(st.getFullStart(), st.getEnd()) + '\n'
    }
  }
  // Names the example refers to (not property names: `{ path: x }`, `a.path`), and those it declares itself.
  const used = new Set<string>()
  const declared = new Set<string>()
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) {
      const p = n.parent
      const isName = (ts.isPropertyAssignment(p) || ts.isPropertyAccessExpression(p) || ts.isMethodDeclaration(p) || ts.isPropertySignature(p)) && p.name === n
      const isDeclaration = (ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p) || ts.isFunctionDeclaration(p) || ts.isClassDeclaration(p)) && p.name === n
      if (isDeclaration) declared.add(n.text)
      if (!isName && !(ts.isBindingElement(p) && p.propertyName === n)) used.add(n.text)
    }
    n.forEachChild(visit)
  }
  visit(sf)
  const header: string[] = []
  for (const [spec, names] of imports) {
    header.push(`import { ${names.map(([a, b]) => (a === b ? a : `${a} as ${b}`)).join(', ')} } from '${spec}'`)
  }
  const free: string[] = []
  const taken = new Set(imported)
  const importFrom = (spec: string, names: string[]) => {
    const take = names.filter((n) => used.has(n) && !taken.has(n))
    for (const n of take) taken.add(n)
    if (take.length) header.push(`import { ${take.join(', ')} } from '${spec}'`)
    free.push(...take)
  }
  if (ex.module) importFrom('./' + relative(VIRTUAL_DIR, ex.module).replace(/\.ts$/, '.js'), exportsOf(ex.module))
  // An internal module's example may also use what its module imports (a sibling's `toSource`, say).
  for (const dep of ex.module ? dependenciesOf(ex.module) : []) importFrom('./' + relative(VIRTUAL_DIR, dep).replace(/\.ts$/, '.js'), exportsOf(dep))
  for (const [spec, path] of ENTRIES) importFrom(spec, exportsOf(path))
  for (const [name, p] of Object.entries(PREAMBLE)) {
    if (used.has(name) && !taken.has(name)) {
      header.push(`declare const ${name}: ${typeof p.type === 'function' ? p.type(ex.module) : p.type}`)
      free.push(name)
    }
  }
  // What the example declares itself (a `const url`) is not taken from the preamble, whatever its scope says.
  const typeOnly = free.some((n) => PREAMBLE[n]?.run === false && !declared.has(n)) || /\/\/ type-check only/.test(code)
  header.push('declare function __expect(actual: unknown, expected: unknown, text: string): void')
  const source = `${header.join('\n')}\nexport {}\nasync function __example(): Promise<void> {\n${body}\n}\n`
  return { ...ex, source, imports, body, free, checks, runnable: !typeOnly }
}

// ------------------------------------------------------------------------------------------------- type checking
function typeCheck(examples: Prepared[]): Map<Prepared, string[]> {
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile)
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT)
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false }
  const files = new Map(examples.map((ex, i) => [join(VIRTUAL_DIR, `example-${i}.ts`), ex]))
  const host = ts.createCompilerHost(options, true)
  const { fileExists, readFile, getSourceFile } = host
  host.fileExists = (f) => files.has(f) || fileExists.call(host, f)
  host.readFile = (f) => files.get(f)?.source ?? readFile.call(host, f)
  host.getSourceFile = (f, lang, onError, create) => {
    const ex = files.get(f)
    return ex ? ts.createSourceFile(f, ex.source, lang, true) : getSourceFile.call(host, f, lang, onError, create)
  }
  const program = ts.createProgram([...files.keys()], options, host)
  const out = new Map<Prepared, string[]>()
  for (const [f, ex] of files) {
    const sf = program.getSourceFile(f)!
    const diags = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]
    out.set(
      ex,
      diags.map((d) => {
        const line = d.start === undefined ? '' : `${sf.getLineAndCharacterOfPosition(d.start).line + 1}: `
        return line + ts.flattenDiagnosticMessageText(d.messageText, '\n')
      }),
    )
  }
  return out
}

// ------------------------------------------------------------------------------------------------- running
const AK = 'docsAccessKey'
const SK = 'docsSecretKey0123456789abcdef'
const MODULES: Record<string, Record<string, unknown>> = {
  'nos-sdk': sdk,
  'nos-sdk/node': sdkNode,
  'nos-sdk/browser': sdkBrowser,
  'nos-sdk/signer': sdkSigner,
  'nos-sdk/emulator': emulator,
}
const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>

/** Names that make an example talk to NOS: it then gets an emulator of its own. */
const NEEDS_EMULATOR = new Set(['client', 'uploadId', 'etag', 'endpoint', 'NosClient'])

async function run(ex: Prepared): Promise<void> {
  const needsEmulator = ex.free.some((n) => NEEDS_EMULATOR.has(n)) || ex.imports.some(([, names]) => names.some(([n]) => NEEDS_EMULATOR.has(n)))
  const emu = needsEmulator
    ? await startEmulator({ port: 0, credentials: [{ accessKeyId: AK, accessKeySecret: SK }], buckets: ['my-bucket', 'my-old-bucket'] })
    : undefined
  try {
    await runIn(ex, emu)
  } finally {
    await emu?.close()
  }
}

async function runIn(ex: Prepared, emu: Emulator | undefined): Promise<void> {
  const values: Record<string, unknown> = {
    bucket: 'my-bucket',
    key: 'hello.txt',
    body: 'hello, body',
    bytes: new TextEncoder().encode('hello, part'),
    file: new File(['hello, file'], 'movie.mp4', { type: 'video/mp4' }),
    signal: new AbortController().signal,
    onProgress: () => {},
    accessKeyId: AK,
    accessKeySecret: SK,
    sign: sdk.createHmacSigner(SK),
  }
  const modules: Record<string, Record<string, unknown>> = { ...MODULES }
  if (emu) {
    const Client = nodeSide(ex.module) ? sdkNode.NosClient : NosClient
    const client = new Client({ accessKeyId: AK, accessKeySecret: SK, endpoint: emu.endpoint })
    await client.putObject({ bucket: 'my-bucket', key: 'hello.txt', body: 'hello' })
    await client.putObject({ bucket: 'my-bucket', key: 'a.txt', body: 'a' })
    await client.putBucketCors({ bucket: 'my-bucket', rules: [{ allowedOrigins: ['*'], allowedMethods: ['GET'] }] })
    const { uploadId } = await client.createMultipartUpload({ bucket: 'my-bucket', key: 'big.bin' })
    const { etag } = await client.uploadPart({ bucket: 'my-bucket', key: 'big.bin', uploadId, partNum: 1, body: values.bytes as Uint8Array })
    Object.assign(values, { client, uploadId, etag, endpoint: emu.endpoint })
    // A client the example makes itself talks to the emulator: its endpoint and credentials are replaced.
    for (const [spec, m] of Object.entries(MODULES)) {
      if ('NosClient' in m) modules[spec] = { ...m, NosClient: toEmulator(m.NosClient as typeof NosClient, emu) }
    }
  }
  const own: Record<string, unknown> = ex.module ? { ...((await import(ex.module)) as Record<string, unknown>) } : {}
  // Then what its module imports (the same order as prepare()).
  for (const dep of ex.module ? dependenciesOf(ex.module) : []) {
    for (const [name, value] of Object.entries((await import(dep)) as Record<string, unknown>)) if (!(name in own)) own[name] = value
  }
  const scope: Record<string, unknown> = {}
  // The same precedence as prepare(): the example's module, then the public entries, then the preamble.
  for (const name of ex.free) scope[name] = name in own ? own[name] : name === 'NosClient' ? modules['nos-sdk']!.NosClient : (lookup(name) ?? values[name])
  let prologue = ''
  for (const [spec, names] of ex.imports) {
    if (!modules[spec]) throw new Error(`${ex.where}: unknown import '${spec}'`)
    prologue += `const { ${names.map(([a, b]) => (a === b ? a : `${a}: ${b}`)).join(', ')} } = __modules[${JSON.stringify(spec)}];\n`
  }
  const js = ts.transpileModule(ex.body, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText
  // What examples print is prose for the reader; the test keeps its output clean.
  scope.console = { ...console, log: () => {}, info: () => {}, error: () => {} }
  scope.__expect = (actual: unknown, expected: unknown, text: string) => expect(actual, `${ex.where}: // ${text}`).toEqual(expected)
  const names = Object.keys(scope)
  const fn = new AsyncFunction('__modules', ...names, `${prologue}{\n${js}\n}`)
  await fn(modules, ...names.map((n) => scope[n]))
}

/** A NosClient class whose instances use the emulator, whatever endpoint and credentials an example gives. */
function toEmulator(Base: typeof NosClient, emu: Emulator): typeof NosClient {
  return class extends Base {
    constructor(options: ConstructorParameters<typeof NosClient>[0] = {}) {
      super({ ...options, endpoint: emu.endpoint, accessKeyId: AK, accessKeySecret: SK, sign: undefined })
    }
  }
}

/** A public export by name; undefined for names that are types only (erased from the run). */
function lookup(name: string): unknown {
  for (const m of [sdk, sdkNode, sdkBrowser] as Record<string, unknown>[]) if (name in m) return m[name]
  return undefined
}

// ------------------------------------------------------------------------------------------------- citations
/** GitHub's anchors of a Markdown file's headings: lower case, punctuation dropped, spaces as hyphens. */
function anchors(path: string): Set<string> {
  const text = readFileSync(join(ROOT, path), 'utf8')
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => m[1]!.trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-')))
}

/** The repository's own text files that comments and docs live in (sources, tests, scripts, bench, examples). */
function ownFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((d) => {
      const path = join(dir, d.name)
      if (d.isDirectory()) return d.name === 'node_modules' || d.name === 'dist' || path === join('docs', 'api') ? [] : walk(path)
      return /\.(ts|mts|cts|mjs|cjs|js|md)$/.test(d.name) ? [path] : []
    })
  const top = readdirSync(ROOT).filter((f) => /\.(ts|md)$/.test(f))
  return [...top, ...['src', 'test', 'scripts', 'bench', 'examples', 'docs'].flatMap(walk)]
}

// ------------------------------------------------------------------------------------------------- the tests
const examples = [...readmeExamples(), ...sourceFiles(join(ROOT, 'src')).flatMap(tsdocExamples)].map(prepare)

describe('documentation that runs', () => {
  let diagnostics: Map<Prepared, string[]>
  beforeAll(() => {
    diagnostics = typeCheck(examples)
  })

  it('finds the README blocks and the TSDoc examples', () => {
    expect(examples.filter((e) => e.where.startsWith('README.md')).length).toBeGreaterThanOrEqual(7)
    expect(examples.length).toBeGreaterThan(150)
    console.info(
      `docs examples: ${examples.length}, run ${examples.filter((e) => e.runnable).length}, ` +
        `stated values checked ${examples.filter((e) => e.runnable).reduce((n, e) => n + e.checks, 0)}`,
    )
  })

  it('every example type-checks', () => {
    const failures = examples.flatMap((ex) => diagnostics.get(ex)!.map((d) => `${ex.where} (example line ${d}`))
    expect(failures).toEqual([])
  })

  it('every citation of docs/protocol.md, docs/architecture.md or CONTRIBUTING.md names one of its sections', () => {
    const docs: Record<string, Set<string>> = {}
    for (const doc of ['docs/protocol.md', 'docs/architecture.md', 'CONTRIBUTING.md']) docs[doc] = anchors(doc)
    const broken: string[] = []
    for (const file of ownFiles()) {
      const text = readFileSync(join(ROOT, file), 'utf8')
      for (const m of text.matchAll(/(docs\/protocol\.md|docs\/architecture\.md|CONTRIBUTING\.md)#([\w-]+)/g)) {
        if (!docs[m[1]!]!.has(m[2]!)) broken.push(`${file}: ${m[0]}`)
      }
    }
    expect(broken).toEqual([])
  })

  it('no comment cites a document the repository does not have', () => {
    const missing = /nos-protocol\.md|DESIGN\.md|toolchain\.md|peers\.md|[Ii]ssue #?[0-9]+/
    const offenders = ownFiles()
      .filter((f) => !f.startsWith('docs') && f !== relative(ROOT, import.meta.filename))
      .flatMap((f) => readFileSync(join(ROOT, f), 'utf8').split('\n').flatMap((line, i) => (missing.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])))
    expect(offenders).toEqual([])
  })

  it('no example uses the bucket name `b`, which NOS refuses (3-63 characters)', () => {
    const offenders = examples.filter((ex) => /bucket: '[^']{1,2}'|buckets: \['[^']{1,2}'/.test(ex.code)).map((ex) => ex.where)
    expect(offenders).toEqual([])
  })

  // Each run has its own emulator (or none), so they run side by side.
  for (const ex of examples.filter((e) => e.runnable)) {
    it.concurrent(`runs ${ex.where}`, async () => {
      await run(ex)
    })
  }
})
