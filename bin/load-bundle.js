// Loads the bundled CLI (dist/cli.cjs) as a CommonJS module compiled with a V8 code cache, so
// that start-up skips most of the parse and compile work (Node 20 has no built-in compile cache).
import {readFileSync, renameSync, writeFileSync} from 'node:fs'
import {createRequire, Module} from 'node:module'
import {dirname} from 'node:path'
import {fileURLToPath} from 'node:url'
import {Script} from 'node:vm'

/**
 * @param {URL} bundleUrl the bundle to load
 * @param {{useCache?: boolean}} [options]
 * @returns {{exports: any, saveCache: () => void}}
 */
export function loadBundle(bundleUrl, options = {}) {
  const filename = fileURLToPath(bundleUrl)
  const cacheFile = `${filename}.cache`
  const useCache = (options.useCache ?? true) && !process.sourceMapsEnabled
  const source = readFileSync(filename, 'utf8')
  let cachedData
  if (useCache) {
    try {
      cachedData = readFileSync(cacheFile)
    } catch {
      // No cache yet: compile from source and write one after the first run.
    }
  }
  const module = new Module(filename)
  module.filename = filename
  module.paths = Module._nodeModulePaths(dirname(filename))
  // The bundle is built without import(): a dynamic import inside code restored from a V8 code
  // cache fails on Node 20 (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), so esbuild turns import(x)
  // into require(x), and this require accepts the file: URLs that oclif passes.
  const baseRequire = createRequire(filename)
  const toPath = (id) => (typeof id === 'string' && id.startsWith('file:') ? fileURLToPath(id) : id)
  let script
  if (process.sourceMapsEnabled) {
    // Stack traces with source names (--verbose, DEBUG, --enable-source-maps): Node reads the
    // bundle's source map only for code compiled by its own module loader, not by vm.Script, so
    // the bundle is compiled the ordinary way, without the code cache (a debugging run).
    module.require = (id) => Module.prototype.require.call(module, toPath(id))
    module._compile(source, filename)
  } else {
    script = new Script(Module.wrap(source), {filename, cachedData})
    const require = Object.assign((id) => baseRequire(toPath(id)), baseRequire)
    script.runInThisContext()(module.exports, require, module, filename, dirname(filename))
  }
  module.loaded = true
  // oclif requires the bundle again to find the commands: let it get this same instance.
  Module._cache[filename] = module
  const stale = script !== undefined && useCache && (cachedData === undefined || script.cachedDataRejected === true)
  return {
    exports: module.exports,
    saveCache({force = false} = {}) {
      if (script === undefined || (!stale && !force)) return
      try {
        const temporary = `${cacheFile}.${process.pid}.tmp`
        writeFileSync(temporary, script.createCachedData())
        renameSync(temporary, cacheFile)
      } catch {
        // A read-only install simply runs without the cache; it only costs start-up time.
      }
    },
  }
}
