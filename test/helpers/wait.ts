// The one poll the tests use: ask until the answer is there, and past the deadline fail naming what was
// awaited and the last error seen. No fixed sleeps: on a busy machine a fixed wait is either too short
// or slows every run.

/** Polls `probe` every 100 ms until it gives a value (not undefined); a probe that throws is asked again. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await probe()
      if (value !== undefined) return value
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
