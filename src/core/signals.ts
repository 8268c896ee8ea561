/**
 * Abort signals without leaks (docs/architecture.md#signals-and-timeouts): a caller's long-lived `AbortSignal` (one per page, or one shared
 * by thousands of calls) holds one listener of the SDK while calls are in flight and none once they settled, and
 * every wait is abortable.
 * @module
 */

/** A link from parent signals to a child controller; `dispose()` unlinks it. */
export interface SignalLink {
  /** Aborted when any parent aborts (with that parent's reason) or when `abort()` is called. */
  readonly signal: AbortSignal
  abort(reason?: unknown): void
  /** Unlinks the child from its parents; idempotent. The child keeps its state. */
  dispose(): void
}

/** The children linked to one parent signal, and the one listener the parent holds for all of them. */
interface Fanout {
  readonly children: Set<AbortController>
  readonly onAbort: () => void
}

/**
 * One listener per parent signal, however many calls share it: Node warns past 10 listeners on one signal
 * (MaxListenersExceededWarning), and a page may run hundreds of calls under one signal. The listener is removed
 * when the last child is unlinked. A WeakMap: a parent nobody references any more takes its entry with it.
 */
const fanouts = new WeakMap<AbortSignal, Fanout>()

function attach(parent: AbortSignal, child: AbortController): () => void {
  let fan = fanouts.get(parent)
  if (!fan) {
    const children = new Set<AbortController>()
    const onAbort = () => {
      fanouts.delete(parent)
      for (const c of children) c.abort(parent.reason)
      children.clear()
    }
    fan = { children, onAbort }
    fanouts.set(parent, fan)
    parent.addEventListener('abort', onAbort, { once: true })
  }
  const { children, onAbort } = fan
  children.add(child)
  return () => {
    if (!children.delete(child) || children.size) return
    parent.removeEventListener('abort', onAbort)
    if (fanouts.get(parent)?.children === children) fanouts.delete(parent)
  }
}

/**
 * Links `parents` (undefined entries ignored) to a child controller. Call `dispose()` when the work that uses the
 * child settles: each live parent then drops the child, and its listener once no child is left.
 * @example
 * const link = linkSignals([userSignal])
 * try { await work(link.signal) } finally { link.dispose() }
 */
export function linkSignals(parents: readonly (AbortSignal | undefined)[], ctrl = new AbortController()): SignalLink {
  const detach: (() => void)[] = []
  const dispose = () => {
    for (const d of detach.splice(0)) d()
  }
  for (const parent of parents) {
    if (!parent || ctrl.signal.aborted) continue
    if (parent.aborted) ctrl.abort(parent.reason)
    else detach.push(attach(parent, ctrl))
  }
  // Once the child is aborted, its parents have nothing left to tell it.
  if (ctrl.signal.aborted) dispose()
  else if (detach.length) ctrl.signal.addEventListener('abort', dispose, { once: true })
  return { signal: ctrl.signal, abort: (reason?: unknown) => ctrl.abort(reason), dispose }
}

/**
 * Waits `ms`, or rejects with the signal's reason as soon as it aborts; linked like any call (one listener on the
 * signal for all, none once the wait is over).
 * @example await abortableSleep(100, signal)
 */
export function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const link = signal ? linkSignals([signal]) : undefined
    const timer = setTimeout(() => {
      link?.dispose()
      resolve()
    }, ms)
    link?.signal.addEventListener('abort', () => {
      clearTimeout(timer)
      reject(signal!.reason)
    }, { once: true })
  })
}

/** Bodies with these statuses have no content (fetch forbids a body on them). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304])

/** Response methods that read the whole body. */
const READERS = ['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text'] as const

/**
 * Calls `release` once the response's body has been read to the end, cancelled or has failed; at once when there
 * is no body to read. The response itself is returned, its readers hooked: a pass-through Response (a new stream
 * and Response per request) cost ~0.4 ms per small request in Node; the stream is wrapped only when `body` is
 * taken (getObject hands it to the caller).
 * @example
 * const res = releaseWhenRead(await fetch(url, { signal: link.signal }), link.dispose)
 */
export function releaseWhenRead(res: Response, release: () => void): Response {
  if (!res.body || NULL_BODY_STATUSES.has(res.status) || res.headers.get('content-length') === '0') {
    release()
    return res
  }
  for (const name of READERS) {
    const read = (res as unknown as Record<string, (() => Promise<unknown>) | undefined>)[name]
    if (typeof read !== 'function') continue
    Object.defineProperty(res, name, { configurable: true, value: () => read.call(res).finally(release) })
  }
  const source = res.body
  let body: ReadableStream<Uint8Array> | undefined
  Object.defineProperty(res, 'body', { configurable: true, get: () => (body ??= releasingStream(source, release)) })
  return res
}

/**
 * `source` through a reader-driven stream (no buffering, no copies) that calls `release` when it ends. The source
 * is locked only when the stream is first read, so taking `body` does not stop the Response's own readers.
 */
function releasingStream(source: ReadableStream<Uint8Array>, release: () => void): ReadableStream<Uint8Array> {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await (reader ??= source.getReader()).read()
          if (done) {
            release()
            controller.close()
          } else controller.enqueue(value)
        } catch (e) {
          release()
          throw e
        }
      },
      cancel(reason) {
        release()
        return reader ? reader.cancel(reason) : source.cancel(reason)
      },
    },
    { highWaterMark: 0 },
  )
}
