// The one platform interface: everything that differs between Linux, macOS and Windows for
// running services. Logic elsewhere calls `currentPlatform()` and never tests process.platform.
import {execFileSync, spawn} from 'node:child_process'
import {statSync} from 'node:fs'
import {join} from 'node:path'
import {findPortOwnerLinux, processesUsingFileLinux} from './linux.js'
import {parseLsof, parseLsofProcesses, parseNetstat} from './parsers.js'

export interface PortOwner {
  pid: number
  command: string
}

/** A way to open a new terminal window or tab running one command line. */
export interface TerminalLauncher {
  name: string
  open(title: string, commandLine: string): void
}

export interface Platform {
  name: 'linux' | 'darwin' | 'win32'
  /** The process listening on a TCP port, if this user may see it. */
  findPortOwner(port: number): PortOwner | undefined
  /** Processes of this user that have a file open (who holds a database lock); empty when unknown. */
  processesUsingFile(file: string): PortOwner[]
  /** The terminal to open service windows in, or undefined when there is none. */
  terminal(env: NodeJS.ProcessEnv): TerminalLauncher | undefined
  /** What to tell a person who has no terminal we can open. */
  terminalAdvice: string
}

const onPath = (program: string, env: NodeJS.ProcessEnv) =>
  (env.PATH ?? '').split(process.platform === 'win32' ? ';' : ':').some((folder) => {
    try {
      return statSync(join(folder, program)).isFile()
    } catch {
      return false
    }
  })

const detachedRun = (file: string, args: string[]) => spawn(file, args, {detached: true, stdio: 'ignore'}).unref()

/** Inside tmux, a window per service works the same everywhere. */
function tmuxLauncher(env: NodeJS.ProcessEnv): TerminalLauncher | undefined {
  if (!env.TMUX || !onPath('tmux', env)) return undefined
  return {name: 'tmux', open: (title, commandLine) => execFileSync('tmux', ['new-window', '-d', '-n', title, commandLine], {env, stdio: 'ignore'})}
}

const run = (file: string, args: string[]) => {
  try {
    return execFileSync(file, args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000})
  } catch (error) {
    // lsof exits 1 when nothing matches; its output is still the answer
    return (error as {stdout?: string}).stdout ?? ''
  }
}

const linux: Platform = {
  name: 'linux',
  findPortOwner: findPortOwnerLinux,
  processesUsingFile: processesUsingFileLinux,
  terminal: (env) => {
    const tmux = tmuxLauncher(env)
    if (tmux) return tmux
    if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return undefined
    for (const program of ['x-terminal-emulator', 'gnome-terminal', 'konsole', 'xterm']) {
      if (!onPath(program, env)) continue
      const args = (title: string, line: string) =>
        program === 'gnome-terminal' ? ['--title', title, '--', 'sh', '-c', line] : program === 'konsole' ? ['-p', `tabtitle=${title}`, '-e', 'sh', '-c', line] : ['-T', title, '-e', 'sh', '-c', line]
      return {name: program, open: (title, line) => detachedRun(program, args(title, line))}
    }
    return undefined
  },
  terminalAdvice: 'run inside tmux (apt-get install tmux; tmux), or from a desktop session with gnome-terminal, konsole or xterm',
}

const darwin: Platform = {
  name: 'darwin',
  findPortOwner: (port) => parseLsof(run('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc']), port),
  processesUsingFile: (file) => parseLsofProcesses(run('lsof', ['-Fpc', '--', file])),
  terminal: (env) =>
    tmuxLauncher(env) ?? {
      name: 'Terminal',
      open: (_title, line) => detachedRun('osascript', ['-e', `tell application "Terminal" to do script ${JSON.stringify(line)}`]),
    },
  terminalAdvice: 'allow Terminal to be scripted (System Settings, Privacy, Automation), or run inside tmux',
}

const win32: Platform = {
  name: 'win32',
  findPortOwner: (port) => {
    const owner = parseNetstat(run('netstat', ['-ano', '-p', 'TCP']), port)
    if (!owner) return undefined
    const name = run('tasklist', ['/FI', `PID eq ${owner.pid}`, '/FO', 'CSV', '/NH']).split(',')[0]?.replaceAll('"', '').trim()
    return {pid: owner.pid, command: name || owner.command}
  },
  // Windows has no tool in the box that names a file's holders (Sysinternals handle.exe is extra).
  processesUsingFile: () => [],
  terminal: (env) =>
    onPath('wt.exe', env)
      ? {name: 'Windows Terminal', open: (title, line) => detachedRun('wt.exe', ['new-tab', '--title', title, 'cmd', '/k', line])}
      : {name: 'start', open: (title, line) => detachedRun('cmd.exe', ['/c', 'start', title, 'cmd', '/k', line])},
  terminalAdvice: 'install Windows Terminal, or use --unified-mode',
}

export function platformFor(name: NodeJS.Platform): Platform {
  if (name === 'darwin') return darwin
  if (name === 'win32') return win32
  return linux
}

export function currentPlatform(): Platform {
  return platformFor(process.platform)
}
