// The one platform interface: everything that differs between Linux, macOS and Windows for
// running services. Logic elsewhere calls `currentPlatform()` and never tests process.platform.
import {execFileSync, spawn} from 'node:child_process'
import {statSync} from 'node:fs'
import {join} from 'node:path'
import {procBackend, processesUsingFileLinux} from './linux.js'
import {parseLsofProcesses} from './parsers.js'
import {portableBackend} from './portable.js'
import type {PortOwner, ProcessBackend, StartClock} from './processes.js'

export type {PortOwner, ProcessBackend, ProcessInfo} from './processes.js'

/** A way to open a new terminal window or tab running one command line. */
export interface TerminalLauncher {
  name: string
  open(title: string, commandLine: string): void
}

export interface Platform {
  name: 'linux' | 'darwin' | 'win32'
  /** Processes: identity, descendants, usage and port owners. */
  processes: ProcessBackend
  /**
   * The backend that can prove an identity measured with `clock` (a record written while the other
   * backend was chosen), or undefined where this system has none.
   */
  backendFor(clock: StartClock): ProcessBackend | undefined
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
  return {
    name: 'tmux',
    open: (title, commandLine) =>
      execFileSync('tmux', ['new-window', '-d', '-n', title, commandLine], {env, stdio: 'ignore'}),
  }
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
  processes: procBackend,
  backendFor: (clock) => (clock === 'boot-ticks' ? procBackend : portableBackend),
  processesUsingFile: processesUsingFileLinux,
  terminal: (env) => {
    const tmux = tmuxLauncher(env)
    if (tmux) return tmux
    if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return undefined
    for (const program of ['x-terminal-emulator', 'gnome-terminal', 'konsole', 'xterm']) {
      if (!onPath(program, env)) continue
      const args = (title: string, line: string) =>
        program === 'gnome-terminal'
          ? ['--title', title, '--', 'sh', '-c', line]
          : program === 'konsole'
            ? ['-p', `tabtitle=${title}`, '-e', 'sh', '-c', line]
            : ['-T', title, '-e', 'sh', '-c', line]
      return {name: program, open: (title, line) => detachedRun(program, args(title, line))}
    }
    return undefined
  },
  terminalAdvice:
    'run inside tmux (apt-get install tmux; tmux), or from a desktop session with gnome-terminal, konsole or xterm',
}

const darwin: Platform = {
  name: 'darwin',
  processes: portableBackend,
  backendFor: (clock) => (clock === 'epoch-ms' ? portableBackend : undefined),
  processesUsingFile: (file) => parseLsofProcesses(run('lsof', ['-Fpc', '--', file])),
  terminal: (env) =>
    tmuxLauncher(env) ?? {
      name: 'Terminal',
      open: (_title, line) =>
        detachedRun('osascript', ['-e', `tell application "Terminal" to do script ${JSON.stringify(line)}`]),
    },
  terminalAdvice: 'allow Terminal to be scripted (System Settings, Privacy, Automation), or run inside tmux',
}

const win32: Platform = {
  name: 'win32',
  processes: portableBackend,
  backendFor: (clock) => (clock === 'epoch-ms' ? portableBackend : undefined),
  // Windows has no tool in the box that names a file's holders (Sysinternals handle.exe is extra).
  processesUsingFile: () => [],
  terminal: (env) =>
    onPath('wt.exe', env)
      ? {
          name: 'Windows Terminal',
          open: (title, line) => detachedRun('wt.exe', ['new-tab', '--title', title, 'cmd', '/k', line]),
        }
      : {name: 'start', open: (title, line) => detachedRun('cmd.exe', ['/c', 'start', title, 'cmd', '/k', line])},
  terminalAdvice: 'install Windows Terminal, or use --unified-mode',
}

/** Which process backend to use: `portable` forces ps-list, pidusage and find-process where /proc exists too. */
export type BackendChoice = 'auto' | 'portable'

export function platformFor(name: NodeJS.Platform, backend: BackendChoice = 'auto'): Platform {
  const platform = name === 'darwin' ? darwin : name === 'win32' ? win32 : linux
  return backend === 'portable' ? {...platform, processes: portableBackend} : platform
}

/** The environment switch STORYBOOK_PROCESS_BACKEND=portable (read by entry points, passed down). */
export function backendChoice(env: NodeJS.ProcessEnv): BackendChoice {
  return env.STORYBOOK_PROCESS_BACKEND === 'portable' ? 'portable' : 'auto'
}

export function currentPlatform(env: NodeJS.ProcessEnv = {}): Platform {
  return platformFor(process.platform, backendChoice(env))
}

/** The first holder of a port, for messages ("port 8000 is held by PID 42: node x.js"). */
export async function findPortOwner(platform: Platform, port: number): Promise<PortOwner | undefined> {
  return (await platform.processes.portOwners(port))[0]
}
