// Development against the sources: notice a build older than src/ (yesterday's code would run),
// and `start --watch`, which rebuilds the server bundle when src/ or migrations/ change and has
// the API restarted, as nodemon would.
import {spawn} from 'node:child_process'
import {watch, type FSWatcher} from 'node:fs'
import {readdir, stat} from 'node:fs/promises'
import {join, relative} from 'node:path'

/** What the API is built from. */
const SOURCE_FOLDERS = ['src', 'migrations']
const BUILD_OUTPUT = join('dist', 'server.cjs')

async function newestFile(folder: string): Promise<{file: string; mtimeMs: number} | undefined> {
  const entries = await readdir(folder, {recursive: true, withFileTypes: true}).catch(() => [])
  let newest: {file: string; mtimeMs: number} | undefined
  for (const entry of entries) {
    if (!entry.isFile() || !/\.(ts|tsx|js|json)$/.test(entry.name)) continue
    const file = join(entry.parentPath, entry.name)
    const {mtimeMs} = await stat(file).catch(() => ({mtimeMs: 0}))
    if (!newest || mtimeMs > newest.mtimeMs) newest = {file, mtimeMs}
  }
  return newest
}

/**
 * The newest source file when it is newer than the built server, as a path from the toolkit
 * root; undefined when the build is current or there are no sources (an installed package).
 */
export async function findStaleBuild(toolkitRoot: string): Promise<string | undefined> {
  const built = await stat(join(toolkitRoot, BUILD_OUTPUT)).catch(() => undefined)
  if (!built) return undefined
  const newest = (await Promise.all(SOURCE_FOLDERS.map((folder) => newestFile(join(toolkitRoot, folder))))).reduce(
    (best, candidate) => (candidate && (!best || candidate.mtimeMs > best.mtimeMs) ? candidate : best),
    undefined,
  )
  return newest && newest.mtimeMs > built.mtimeMs ? relative(toolkitRoot, newest.file) : undefined
}

export interface WatchOptions {
  toolkitRoot: string
  /** After a successful rebuild: restart what runs the old code. */
  onRebuilt: (changed: string) => void
  onError: (message: string) => void
  /** Changes closer together than this are one rebuild. */
  debounceMs?: number
}

/** Watches the sources and rebuilds the server bundle after each burst of changes; returns the way to stop. */
export function watchSources(options: WatchOptions): () => void {
  const {toolkitRoot} = options
  let timer: NodeJS.Timeout | undefined
  let building = false
  let again: string | undefined
  const rebuild = (changed: string) => {
    if (building) {
      again = changed
      return
    }
    building = true
    const build = spawn(process.execPath, [join(toolkitRoot, 'scripts', 'build.js'), '--server-only'], {
      cwd: toolkitRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let errors = ''
    build.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()))
    build.once('error', (error) => options.onError(`Cannot rebuild: ${error.message}`))
    build.once('close', (code) => {
      building = false
      if (code === 0) options.onRebuilt(changed)
      else options.onError(`The rebuild failed; the API keeps running the last good build.\n${errors.trim()}`)
      if (again) {
        const next = again
        again = undefined
        rebuild(next)
      }
    })
  }
  const watchers: FSWatcher[] = SOURCE_FOLDERS.map((folder) =>
    watch(join(toolkitRoot, folder), {recursive: true}, (_event, name) => {
      if (!name || /(^|\/)\.|~$/.test(name)) return // editors' swap and temporary files
      clearTimeout(timer)
      timer = setTimeout(() => rebuild(join(folder, name)), options.debounceMs ?? 150)
    }),
  )
  return () => {
    clearTimeout(timer)
    for (const watcher of watchers) watcher.close()
  }
}
