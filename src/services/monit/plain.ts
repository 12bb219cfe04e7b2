// The loop of `storybook monit` off a terminal: a round every interval until --count rounds are done
// or SIGINT/SIGTERM arrives, which ends the wait at once rather than after the interval.
import type {MonitRound} from './sampler.js'

export type MonitSample = Pick<MonitRound, 'time' | 'services' | 'alerts' | 'trendSource'>

export interface PlainLoopOptions {
  round: () => Promise<MonitRound>
  onRound: (round: MonitRound) => void
  intervalMs: number
  /** Stop after this many rounds; until a signal when absent. */
  count?: number
  /** Where SIGINT and SIGTERM arrive (process). */
  signals: NodeJS.EventEmitter
}

/** Runs the rounds; resolves with how many were done. */
export async function runPlainLoop(options: PlainLoopOptions): Promise<number> {
  let stopped = false
  let wake: (() => void) | undefined
  const stop = () => {
    stopped = true
    wake?.()
  }
  options.signals.on('SIGINT', stop)
  options.signals.on('SIGTERM', stop)
  let done = 0
  try {
    while (!stopped) {
      options.onRound(await options.round())
      done += 1
      if (done === options.count || stopped) break
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.intervalMs)
        wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
  } finally {
    options.signals.off('SIGINT', stop)
    options.signals.off('SIGTERM', stop)
  }
  return done
}
