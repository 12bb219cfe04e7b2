#!/usr/bin/env node
// The storybook CLI. Runs the bundle built by `npm run build` (npm install builds it too).
import {loadBundle} from './load-bundle.js'

// Our own engines check, cheaper and clearer than oclif's (which loads semver on every start).
const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(
    `storybook needs Node 20.19 or later; this is Node ${process.versions.node}.\nNext: nvm install 20 (or install Node 20 LTS)\n`,
  )
  process.exit(1)
}
process.env.OCLIF_DISABLE_ENGINE_WARNING = '1'

// Stack traces (shown with --verbose or DEBUG, as in src/core/config/terminal.ts) name the source
// files and functions through dist/cli.cjs.map. Only then: mapping means compiling the bundle
// without the code cache, which a plain run keeps for its start-up time.
const debug = process.env.DEBUG !== undefined && !['', '0', 'false'].includes(process.env.DEBUG)
if (debug || process.argv.slice(2).includes('--verbose')) process.setSourceMapsEnabled(true)

let cli
try {
  cli = loadBundle(new URL('../dist/cli.cjs', import.meta.url))
} catch (error) {
  if (error?.code !== 'ENOENT') throw error
  process.stderr.write('storybook is not built yet (dist/cli.cjs is missing).\nNext: npm run build\n')
  process.exit(1)
}
// The build primes the code cache by running the everyday commands in one process, so that the
// cache holds the code of each of them (a cache holds only what ran before it was written).
const prime = process.env.STORYBOOK_PRIME_CODE_CACHE
if (prime) {
  for (const argv of JSON.parse(prime)) await cli.exports.run(import.meta.url, argv)
  cli.saveCache({force: true})
} else {
  await cli.exports.run(import.meta.url)
  cli.saveCache()
}
