#!/usr/bin/env node
// The storybook CLI straight from src/: rebuilds the bundle (about a second) and runs it
// without the code cache, so an edit is always what runs.
import {buildBundle, writeManifest} from '../scripts/build.js'
import {loadBundle} from './load-bundle.js'

await buildBundle()
await writeManifest()
const cli = loadBundle(new URL('../dist/cli.cjs', import.meta.url), {useCache: false})
await cli.exports.run(new URL('./run.js', import.meta.url).href)
