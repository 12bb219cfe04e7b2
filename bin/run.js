#!/usr/bin/env node
// The storybook CLI. Runs the bundle built by `npm run build` (npm install builds it too).
import {loadBundle} from './load-bundle.js'

let cli
try {
  cli = loadBundle(new URL('../dist/cli.cjs', import.meta.url))
} catch (error) {
  if (error?.code !== 'ENOENT') throw error
  process.stderr.write('storybook is not built yet (dist/cli.cjs is missing).\nNext: npm run build\n')
  process.exit(1)
}
await cli.exports.run(import.meta.url)
cli.saveCache()
