// Builds the CLI: one CommonJS bundle (dist/cli.cjs) holding oclif and our commands, the oclif
// manifest, and a primed V8 code cache. Heavy libraries stay external and load only when used.
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {gzipSync} from 'node:zlib'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BUNDLE = join(ROOT, 'dist', 'cli.cjs')

/** Imported lazily inside commands or never on the CLI's paths: keep them out of the bundle. */
const EXTERNAL = [
  ...['typescript', 'pino', 'pino-pretty', '@inquirer/prompts', 'better-sqlite3', 'pg', 'listr2', 'ora', 'nodemailer'],
  // The portable process backend: bundled, ps-list would look for its Windows helper (vendor/fastlist)
  // beside dist/cli.cjs instead of beside its own files.
  ...['ps-list', 'pidusage', 'find-process'],
]

export async function buildBundle() {
  const {build} = await import('esbuild')
  rmSync(`${BUNDLE}.cache`, {force: true})
  await build({
    entryPoints: [join(ROOT, 'src', 'cli.ts')],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // import() inside code restored from a V8 code cache fails on Node 20; require() loads ESM
    // too (Node >= 20.19), and bin/load-bundle.js maps file: URLs to paths.
    supported: {'dynamic-import': false},
    external: EXTERNAL,
    minify: true,
    // Class and function names survive minifying: a --verbose stack says UsageError, not Lt.
    keepNames: true,
    // Stack traces map back to the sources with: node --enable-source-maps bin/run.js …
    sourcemap: 'linked',
    legalComments: 'none',
    // import.meta.url in CommonJS: derived from the bundle's own file name.
    define: {'import.meta.url': '__bundleUrl'},
    banner: {js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;"},
    logLevel: 'warning',
  })
}

/** The API server: our code bundled, every package loaded from node_modules (a server starts once). */
export async function buildServer() {
  const {build} = await import('esbuild')
  await build({
    entryPoints: {
      server: join(ROOT, 'src', 'server', 'main.ts'),
      supervisor: join(ROOT, 'src', 'supervisor-main.ts'),
      'pdf-worker': join(ROOT, 'src', 'server', 'pdf-worker.ts'),
      'web-server': join(ROOT, 'src', 'web', 'main.ts'),
      dashboard: join(ROOT, 'src', 'dashboard', 'main.ts'),
    },
    outdir: join(ROOT, 'dist'),
    outExtension: {'.js': '.cjs'},
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    define: {'import.meta.url': '__bundleUrl'},
    banner: {js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;"},
    sourcemap: 'linked',
    logLevel: 'warning',
  })
}

/** The web app (web/, a workspace): Vite's production bundle in web/dist. */
export async function buildWeb() {
  const {build} = await import('vite')
  const root = join(ROOT, 'web')
  await build({root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn'})
  return {initialJsGzipBytes: initialJsGzipBytes(join(root, 'dist'))}
}

/** The monitoring dashboard's page (web/dashboard): into web/dist/dashboard, after the studio's build empties web/dist. */
export async function buildDashboardPage() {
  const {build} = await import('vite')
  const root = join(ROOT, 'web', 'dashboard')
  await build({root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn'})
  return {initialJsGzipBytes: initialJsGzipBytes(join(ROOT, 'web', 'dist', 'dashboard'))}
}

/** What the first page load runs: index.html's module script and the chunks it preloads, gzipped. */
export function initialJsGzipBytes(distDir) {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8')
  const files = [
    ...html.matchAll(/<(?:script type="module"[^>]*src|link rel="modulepreload"[^>]*href)="\/([^"]+\.js)"/g),
  ]
  return files.reduce((sum, [, file]) => sum + gzipSync(readFileSync(join(distDir, file))).length, 0)
}

export async function writeManifest() {
  const {Plugin} = await import('@oclif/core')
  const plugin = new Plugin({root: ROOT, type: 'core', isRoot: true, ignoreManifest: true, errorOnManifestCreate: true})
  await plugin.load()
  writeFileSync(join(ROOT, 'oclif.manifest.json'), `${JSON.stringify(plugin.manifest, null, 2)}\n`)
}

/** Runs the built CLI once against an empty project so the launcher writes the code cache. */
function primeCodeCache() {
  const root = mkdtempSync(join(tmpdir(), 'storybook-build-'))
  try {
    writeFileSync(join(root, 'package.json'), '{"name":"storybook-toolkit"}')
    // Only the start-up paths: a bigger cache takes longer to load than the code it saves compiling.
    const commands = [['--help'], ['env', 'show', '--json']]
    execFileSync(process.execPath, [join(ROOT, 'bin', 'run.js')], {
      cwd: root,
      env: {
        ...process.env,
        STORYBOOK_ROOT: root,
        STORYBOOK_ENV_FILE: '',
        NO_COLOR: '1',
        SESSION_SECRET: 'code-cache-priming-only-'.repeat(2),
        STORYBOOK_PRIME_CODE_CACHE: JSON.stringify(commands),
      },
      stdio: 'ignore',
    })
  } finally {
    rmSync(root, {recursive: true, force: true})
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--server-only')) {
  // storybook start --watch: only what the API runs, so that a change is live within a second.
  await buildServer()
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now()
  // The web bundles build alongside the CLI: neither waits for the other. The dashboard's page goes
  // into web/dist/dashboard, so it is built once the studio's build has emptied web/dist.
  const web = buildWeb()
  const dashboardPage = web.then(buildDashboardPage)
  dashboardPage.catch(() => {})
  await buildBundle()
  await buildServer()
  await writeManifest()
  primeCodeCache()
  const {initialJsGzipBytes: initial} = await web
  const {initialJsGzipBytes: dashboardInitial} = await dashboardPage
  const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`
  process.stderr.write(
    `storybook: built dist/cli.cjs, oclif.manifest.json, web/dist (initial JS ${kB(initial)} gzip) ` +
      `and web/dist/dashboard (initial JS ${kB(dashboardInitial)} gzip) in ${Date.now() - started} ms\n`,
  )
}
