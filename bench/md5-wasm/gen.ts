/**
 * Generates the WebAssembly MD5 block function embedded in `src/core/md5-wasm-kernel.ts`: a tiny hand-rolled assembler
 * (the dozen opcodes MD5 needs) emitting the binary directly, so no toolchain is needed to rebuild it.
 *
 *   node --import tsx bench/md5-wasm/gen.ts          # rewrites the base64 line in src/core/md5-wasm-kernel.ts
 *   node --import tsx bench/md5-wasm/gen.ts --check  # exits 1 if src/core/md5-wasm-kernel.ts is stale
 *   node --import tsx bench/md5-wasm/gen.ts --wat    # prints the equivalent WAT (for review)
 *
 * The module (WAT equivalent):
 *   (module
 *     (memory (export "m") 2)                     ;; [0,16): state a b c d; [64, 64+64KiB): input blocks
 *     (func (export "b") (param $p i32) (param $n i32)   ;; hash $n 64-byte blocks at $p into the state
 *       (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $aa i32) ... (local $dd i32)
 *       a..d := i32.load 0..12
 *       block loop  br_if 1 (i32.eqz $n)
 *         aa..dd := a..d
 *         64 unrolled steps of RFC 1321 §3.4:  a := b + rotl(a + F(b,c,d) + M[g] + K[i], s)
 *         a..d += aa..dd;  $p += 64;  $n -= 1;  br 0
 *       end end
 *       i32.store 0..12 := a..d))
 * Boolean functions use the usual reductions: F = d ^ (b & (c ^ d)), G = (c & ~d) + (b & d), H = (c ^ d) ^ b,
 * I = c ^ (b | ~d), and each step adds a + M[g] + K[i] before the function of b (shorter dependency chain).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const OP = {
  block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, end: 0x0b,
  localGet: 0x20, localSet: 0x21, i32Load: 0x28, i32Store: 0x36, i32Const: 0x41,
  i32Eqz: 0x45, i32Add: 0x6a, i32Sub: 0x6b, i32And: 0x71, i32Or: 0x72, i32Xor: 0x73, i32Rotl: 0x77,
} as const

function uleb(n: number): number[] {
  const out: number[] = []
  do {
    let byte = n & 0x7f
    n >>>= 7
    if (n) byte |= 0x80
    out.push(byte)
  } while (n)
  return out
}

function sleb(n: number): number[] {
  n |= 0
  const out: number[] = []
  for (;;) {
    const byte = n & 0x7f
    n >>= 7
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) return out.push(byte), out
    out.push(byte | 0x80)
  }
}

const utf8 = (s: string): number[] => [...new TextEncoder().encode(s)]
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()]
const name = (s: string): number[] => [...uleb(utf8(s).length), ...utf8(s)]
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body]

/** RFC 1321 constants: K[i] = floor(abs(sin(i + 1)) * 2^32), shifts, and message word order. */
const K = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0)
const S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21]
const G = (i: number): number => (i < 16 ? i : i < 32 ? (5 * i + 1) % 16 : i < 48 ? (3 * i + 5) % 16 : (7 * i) % 16)

// Locals: params p=0, n=1; a=2 b=3 c=4 d=5; aa=6 bb=7 cc=8 dd=9.
const P = 0, N = 1, A = 2, AA = 6
const DATA = 64

interface Asm { code: number[]; wat: string[] }

function emit(asm: Asm, bytes: number[], wat: string): void {
  asm.code.push(...bytes)
  asm.wat.push(wat)
}

const get = (asm: Asm, l: number) => emit(asm, [OP.localGet, l], `local.get ${l}`)
const set = (asm: Asm, l: number) => emit(asm, [OP.localSet, l], `local.set ${l}`)
const op = (asm: Asm, code: number, name: string) => emit(asm, [code], name)
const konst = (asm: Asm, v: number) => emit(asm, [OP.i32Const, ...sleb(v)], `i32.const ${v | 0}`)
const load = (asm: Asm, offset: number) => emit(asm, [OP.i32Load, 2, ...uleb(offset)], `i32.load offset=${offset}`)
const store = (asm: Asm, offset: number) => emit(asm, [OP.i32Store, 2, ...uleb(offset)], `i32.store offset=${offset}`)

function round(asm: Asm, i: number, a: number, b: number, c: number, d: number): void {
  const xor = () => op(asm, OP.i32Xor, 'i32.xor')
  const and = () => op(asm, OP.i32And, 'i32.and')
  const add = () => op(asm, OP.i32Add, 'i32.add')
  // a + M[g] + K[i] first: it does not depend on b, the value the previous step just produced, so only the
  // boolean function, one add, the rotate and the last add are on the critical path.
  get(asm, a)
  get(asm, P)
  load(asm, G(i) * 4)
  add()
  konst(asm, K[i]!)
  add()
  if (i < 16) {
    // F = d ^ (b & (c ^ d))
    get(asm, d); get(asm, b); get(asm, c); get(asm, d); xor(); and(); xor(); add()
  } else if (i < 32) {
    // G = (b & d) | (c & ~d), the two terms have no bit in common, so | is +: add the b-free term first.
    get(asm, c); get(asm, d); konst(asm, -1); xor(); and(); add()
    get(asm, b); get(asm, d); and(); add()
  } else if (i < 48) {
    // H = (c ^ d) ^ b
    get(asm, c); get(asm, d); xor(); get(asm, b); xor(); add()
  } else {
    // I = c ^ (b | ~d)
    get(asm, c); get(asm, b); get(asm, d); konst(asm, -1); xor(); op(asm, OP.i32Or, 'i32.or'); xor(); add()
  }
  konst(asm, S[(i >> 4) * 4 + (i & 3)]!)
  op(asm, OP.i32Rotl, 'i32.rotl')
  get(asm, b)
  add()
  set(asm, a)
}

/** The module bytes and its WAT listing. */
export function generate(): { bytes: Uint8Array; wat: string } {
  const asm: Asm = { code: [], wat: [] }
  const zero = () => konst(asm, 0)
  for (let j = 0; j < 4; j++) { zero(); load(asm, j * 4); set(asm, A + j) }
  emit(asm, [OP.block, 0x40], 'block')
  emit(asm, [OP.loop, 0x40], 'loop')
  get(asm, N); op(asm, OP.i32Eqz, 'i32.eqz'); emit(asm, [OP.brIf, 1], 'br_if 1')
  for (let j = 0; j < 4; j++) { get(asm, A + j); set(asm, AA + j) }
  // Registers rotate: step i writes the local that plays `a`, then roles shift (a, b, c, d) <- (d, a, b, c).
  const roles = [A, A + 1, A + 2, A + 3]
  for (let i = 0; i < 64; i++) {
    const [a, b, c, d] = roles as [number, number, number, number]
    round(asm, i, a, b, c, d)
    roles.unshift(roles.pop()!)
  }
  for (let j = 0; j < 4; j++) { get(asm, A + j); get(asm, AA + j); op(asm, OP.i32Add, 'i32.add'); set(asm, A + j) }
  get(asm, P); konst(asm, 64); op(asm, OP.i32Add, 'i32.add'); set(asm, P)
  get(asm, N); konst(asm, 1); op(asm, OP.i32Sub, 'i32.sub'); set(asm, N)
  emit(asm, [OP.br, 0], 'br 0')
  emit(asm, [OP.end], 'end')
  emit(asm, [OP.end], 'end')
  for (let j = 0; j < 4; j++) { zero(); get(asm, A + j); store(asm, j * 4) }

  const body = [...vec([[8, 0x7f]]), ...asm.code, OP.end]
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, 2, 0x7f, 0x7f, 0]])), // type 0: (i32, i32) -> ()
    ...section(3, vec([[0]])), // func 0 has type 0
    ...section(5, vec([[0x00, 2]])), // memory 0: min 2 pages (state + 64 KiB of blocks), no max
    ...section(7, vec([[...name('m'), 0x02, 0], [...name('b'), 0x00, 0]])), // exports: memory "m", func "b"
    ...section(10, vec([[...uleb(body.length), ...body]])),
  ]
  const wat =
    `(module\n  (memory (export "m") 2)\n  (func (export "b") (param i32 i32) (local i32 i32 i32 i32 i32 i32 i32 i32)\n` +
    asm.wat.map((l) => `    ${l}`).join('\n') +
    '))\n'
  return { bytes: Uint8Array.from(bytes), wat }
}

/** Chunk size of input copied into the module per call; must fit in memory after DATA. */
export const LAYOUT = { DATA, CHUNK: 65536 - DATA }

const TARGET = fileURLToPath(new URL('../../src/core/md5-wasm-kernel.ts', import.meta.url))
const MARK = /(const WASM_BASE64 =\s*)'[A-Za-z0-9+/=]*'/

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { bytes, wat } = generate()
  const b64 = Buffer.from(bytes).toString('base64')
  if (process.argv.includes('--wat')) {
    process.stdout.write(wat)
  } else {
    const src = readFileSync(TARGET, 'utf8')
    if (!MARK.test(src)) throw new Error(`no WASM_BASE64 line in ${TARGET}`)
    const next = src.replace(MARK, `$1'${b64}'`)
    if (process.argv.includes('--check')) {
      if (next !== src) {
        process.stderr.write('src/core/md5-wasm-kernel.ts is stale: run node --import tsx bench/md5-wasm/gen.ts\n')
        process.exit(1)
      }
      process.stdout.write(`src/core/md5-wasm-kernel.ts is up to date (${bytes.length} bytes of WebAssembly)\n`)
    } else {
      writeFileSync(TARGET, next)
      process.stdout.write(`wrote ${bytes.length} bytes of WebAssembly (${b64.length} base64 chars) into src/core/md5-wasm-kernel.ts\n`)
    }
  }
}
