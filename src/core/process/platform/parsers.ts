// Parsers for the port tools of macOS (lsof -F) and Windows (netstat -ano): pure functions,
// tested against recorded output since the tests run on Linux.
import type {PortOwner} from './index.js'

/** `lsof -nP -iTCP:<port> -sTCP:LISTEN -Fpc`: lines `p<pid>` then `c<command>` per process. */
export function parseLsof(output: string, _port: number): PortOwner | undefined {
  let pid: number | undefined
  for (const line of output.split(/\r?\n/)) {
    if (line.startsWith('p')) pid = Number(line.slice(1))
    else if (line.startsWith('c') && pid !== undefined && Number.isInteger(pid)) return {pid, command: line.slice(1)}
  }
  return pid !== undefined && Number.isInteger(pid) ? {pid, command: '?'} : undefined
}

/** `lsof -Fpc -- <file>`: every process that has the file open. */
export function parseLsofProcesses(output: string): PortOwner[] {
  const owners: PortOwner[] = []
  for (const line of output.split(/\r?\n/)) {
    if (line.startsWith('p')) owners.push({pid: Number(line.slice(1)), command: '?'})
    else if (line.startsWith('c') && owners.length > 0) (owners.at(-1) as PortOwner).command = line.slice(1)
  }
  return owners.filter((owner) => Number.isInteger(owner.pid) && owner.pid > 0)
}

/**
 * `netstat -ano -p TCP`: `  TCP    0.0.0.0:8000    0.0.0.0:0    LISTENING    1234`. The state
 * word is localised on some Windows installs, so a listener is recognised by its foreign address
 * (`0.0.0.0:0` or `[::]:0`) instead.
 */
export function parseNetstat(output: string, port: number): PortOwner | undefined {
  for (const line of output.split(/\r?\n/)) {
    const fields = line.trim().split(/\s+/)
    if (fields[0] !== 'TCP' || fields.length < 5) continue
    const local = fields[1] ?? ''
    const foreign = fields[2] ?? ''
    const localPort = Number(local.slice(local.lastIndexOf(':') + 1))
    const listening = /^(0\.0\.0\.0|\[::\]|\*):0$/.test(foreign) || /LISTEN/i.test(fields[3] ?? '')
    if (localPort === port && listening) {
      const pid = Number(fields.at(-1))
      if (Number.isInteger(pid) && pid > 0) return {pid, command: `PID ${pid}`}
    }
  }
  return undefined
}
