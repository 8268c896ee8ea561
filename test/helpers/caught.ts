/** What a call throws (or a promise rejects with), for exact assertions on the error's class and fields. */

/** The error `f` throws; fails the test when it returns. */
export function caught(f: () => unknown): Error {
  try {
    f()
  } catch (e) {
    return e as Error
  }
  throw new Error('expected a throw, but the call returned')
}

/** The error `p` rejects with; fails the test when it resolves. */
export async function rejected(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a rejection, but the promise resolved')
    },
    (e: unknown) => e as Error,
  )
}
