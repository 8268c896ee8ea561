/**
 * A real AbortSignal whose 'abort' listeners are counted: what the SDK adds and removes, and the peak.
 */
export interface CountingSignal {
  controller: AbortController
  signal: AbortSignal
  /** Listeners currently registered. */
  readonly live: number
  /** Most listeners registered at once. */
  readonly peak: number
  /** Calls of addEventListener('abort', ...). */
  readonly added: number
}

export function countingSignal(): CountingSignal {
  const controller = new AbortController()
  const signal = controller.signal
  const live = new Set<unknown>()
  let peak = 0
  let added = 0
  const add = signal.addEventListener.bind(signal)
  const remove = signal.removeEventListener.bind(signal)
  signal.addEventListener = ((type: string, fn: EventListenerOrEventListenerObject, opts?: AddEventListenerOptions | boolean) => {
    if (type === 'abort') {
      added++
      live.add(fn)
      peak = Math.max(peak, live.size)
    }
    add(type, fn, opts)
  }) as AbortSignal['addEventListener']
  signal.removeEventListener = ((type: string, fn: EventListenerOrEventListenerObject, opts?: EventListenerOptions | boolean) => {
    if (type === 'abort') live.delete(fn)
    remove(type, fn, opts)
  }) as AbortSignal['removeEventListener']
  return {
    controller,
    signal,
    get live() {
      return live.size
    },
    get peak() {
      return peak
    },
    get added() {
      return added
    },
  }
}
