/**
 * Abort signals without leaks (DESIGN rule 7, 8): a caller's long-lived `AbortSignal` (one per page, or one shared
 * by thousands of calls) gets a listener per call in flight and none once the call settles, and every wait is
 * abortable.
 * @module
 */

/** A link from parent signals to a child controller; `dispose()` removes the listeners it added. */
export interface SignalLink {
  /** Aborted when any parent aborts (with that parent's reason) or when `abort()` is called. */
  readonly signal: AbortSignal
  abort(reason?: unknown): void
  /** Removes the listeners from the parents; idempotent. The child keeps its state. */
  dispose(): void
}

/**
 * Links `parents` (undefined entries ignored) to a new child signal. Call `dispose()` when the work that uses
 * the child settles: until then each live parent holds one listener, which closes over the child controller only.
 * @example
 * const link = linkSignals([userSignal])
 * try { await work(link.signal) } finally { link.dispose() }
 */
export function linkSignals(parents: readonly (AbortSignal | undefined)[], ctrl = new AbortController()): SignalLink {
  const attached: [AbortSignal, () => void][] = []
  const dispose = () => {
    for (const [s, fn] of attached.splice(0)) s.removeEventListener('abort', fn)
  }
  for (const parent of parents) {
    if (!parent || ctrl.signal.aborted) continue
    if (parent.aborted) {
      ctrl.abort(parent.reason)
      continue
    }
    const fn = forwarder(parent, ctrl)
    parent.addEventListener('abort', fn, { once: true })
    attached.push([parent, fn])
  }
  // Once the child is aborted, the other parents' listeners have nothing left to do.
  if (ctrl.signal.aborted) dispose()
  else if (attached.length) ctrl.signal.addEventListener('abort', dispose, { once: true })
  return { signal: ctrl.signal, abort: (reason?: unknown) => ctrl.abort(reason), dispose }
}

/** Kept outside `linkSignals` so that the listener's closure holds the controller and nothing of the caller's. */
function forwarder(parent: AbortSignal, ctrl: AbortController): () => void {
  return () => ctrl.abort(parent.reason)
}

/**
 * Waits `ms`, or rejects with the signal's reason as soon as it aborts; the listener is removed either way.
 * @example await abortableSleep(retryDelay, signal)
 */
export function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal!.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** Bodies with these statuses have no content (fetch forbids a body on them). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304])

/**
 * Calls `release` once the response's body has been read to the end, cancelled or has failed; at once when there
 * is no body to read. The body is passed through a reader-driven stream (no buffering, no extra copies).
 */
export function releaseWhenRead(res: Response, release: () => void): Response {
  if (!res.body || NULL_BODY_STATUSES.has(res.status) || res.headers.get('content-length') === '0') {
    release()
    return res
  }
  const reader = res.body.getReader()
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read()
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
        return reader.cancel(reason)
      },
    },
    { highWaterMark: 0 },
  )
  const out = new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers })
  // `type` tells a CORS-hidden header from a missing one (operations/common.ts requireEtag); `url` for messages.
  Object.defineProperties(out, { type: { value: res.type }, url: { value: res.url }, redirected: { value: res.redirected } })
  return out
}
