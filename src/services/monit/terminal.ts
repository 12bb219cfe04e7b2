// The full-screen loop of `storybook monit` on a terminal: alternate screen, hidden cursor, raw keys
// (↑/↓ or j/k select a service, q or Ctrl-C quit), a round every interval and at once after a key.
// The terminal is restored however the loop ends.
import type {MonitRound} from './sampler.js'

export interface TerminalIo {
  input: NodeJS.ReadStream
  output: NodeJS.WriteStream
}

export interface TerminalLoopOptions {
  io: TerminalIo
  intervalMs: number
  /** Stop after this many rounds; until q when absent. */
  count?: number
  round: (selected: string | undefined) => Promise<MonitRound>
  draw: (round: MonitRound, selected: number, size: {width: number; height: number}) => string[]
}

const ENTER = '\x1b[?1049h\x1b[?25l'
const LEAVE = '\x1b[?25h\x1b[?1049l'

export async function runTerminalLoop(options: TerminalLoopOptions): Promise<void> {
  const {input, output} = options.io
  let selected = 0
  let names: string[] = []
  let quit = false
  let rounds = 0
  let wake: (() => void) | undefined
  const onKey = (key: string) => {
    if (key === 'q' || key === '\x03' || key === '\x1b') quit = true
    else if (key === 'j' || key === '\x1b[B') selected = Math.min(names.length - 1, selected + 1)
    else if (key === 'k' || key === '\x1b[A') selected = Math.max(0, selected - 1)
    else return
    wake?.()
  }
  const restore = () => {
    input.off('data', onKey)
    if (input.isTTY) input.setRawMode(false)
    input.pause()
    output.write(LEAVE)
  }
  const onSignal = () => {
    quit = true
    wake?.()
  }
  output.write(ENTER)
  if (input.isTTY) input.setRawMode(true)
  input.setEncoding('utf8').on('data', onKey).resume()
  process.on('SIGTERM', onSignal)
  process.on('SIGHUP', onSignal)
  try {
    while (!quit) {
      const round = await options.round(names[selected])
      names = round.services.map((service) => service.name)
      selected = Math.min(selected, Math.max(0, names.length - 1))
      if (quit) break
      const size = {width: output.columns || 100, height: output.rows || 30}
      output.write(`\x1b[H${options.draw(round, selected, size).join('\x1b[K\n')}\x1b[K\x1b[J`)
      if (++rounds === options.count) break
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.intervalMs)
        wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      wake = undefined
    }
  } finally {
    process.off('SIGTERM', onSignal)
    process.off('SIGHUP', onSignal)
    restore()
  }
}
