// The web service in production (NODE_ENV=production): serves the built bundle on WEB_PORT and passes
// /api to the API. Shuts down on SIGTERM or SIGINT after in-flight responses finish.
import {existsSync} from 'node:fs'
import {createServer} from 'node:http'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {loadEnvironment, toAppConfig} from '../core/config/load.js'
import {ERROR_CODES, PortInUseError, StorybookError, toStorybookError} from '../core/errors.js'
import {createStaticHandler} from './static-server.js'

async function main(): Promise<void> {
  const config = toAppConfig(await loadEnvironment({env: process.env, cwd: process.cwd()}))
  // dist/web-server.cjs serves <toolkit>/web/dist.
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'web', 'dist')
  if (!existsSync(join(root, 'index.html'))) {
    throw new StorybookError('NOT_FOUND', `The web app is not built: ${join(root, 'index.html')} is missing.`, {
      next: ['npm run build', 'storybook start web'],
    })
  }
  const apiHost = config.api.host === '0.0.0.0' || config.api.host === '::' ? '127.0.0.1' : config.api.host
  const server = createServer(createStaticHandler({root, apiOrigin: `http://${apiHost}:${config.api.port}`}))
  const shutdown = () => {
    const timer = setTimeout(() => process.exit(1), config.shutdownGraceMs)
    timer.unref()
    server.close(() => process.exit(0))
    server.closeIdleConnections()
  }
  process.on('SIGTERM', shutdown)
  process.on('SIGINT', shutdown)
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(config.web.port, undefined, {
              next: ['storybook status', 'WEB_PORT=3010 storybook start'],
            })
          : error,
      ),
    )
    server.listen(config.web.port, config.api.host, resolve)
  })
  process.stdout.write(`${JSON.stringify({level: 30, time: Date.now(), name: 'web', msg: `Serving ${root}`})}\n`)
}

main().catch((thrown: unknown) => {
  const error = toStorybookError(thrown)
  process.stderr.write(`Error [${error.code}] ${error.message}\n${error.next.map((step) => `  ${step}`).join('\n')}\n`)
  process.exit(ERROR_CODES[error.code].exitCode)
})
