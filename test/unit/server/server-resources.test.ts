// The server-resources plugin: what the context holds is closed by app.close(), in an order that
// keeps the database open for the jobs, and every resource is closed even when one fails.
import Fastify from 'fastify'
import {describe, expect, it} from 'vitest'
import type {ServerContext} from '../../../src/server/context.js'
import serverResources from '../../../src/server/plugins/server-resources.js'
import {ReadCache} from '../../../src/server/read-cache.js'
import {CharactersService} from '../../../src/server/services/characters.js'
import {StoriesService} from '../../../src/server/services/stories.js'

/** A context whose resources record their closing in `closed`; `failing` ones throw. */
function fakeContext(failing: string[] = []) {
  const closed: string[] = []
  const closer = (name: string) => async () => {
    closed.push(name)
    if (failing.includes(name)) throw new Error(`${name} would not close`)
  }
  const cache = new ReadCache()
  cache.set('story:1:u', {title: 'kept until close'})
  const context = {
    jobs: {close: closer('jobs')},
    pdf: {close: closer('pdf')},
    observability: {close: () => void closed.push('observability')},
    cache,
    database: {close: closer('database')},
  } as unknown as ServerContext
  return {context, closed, cache}
}

describe('the server-resources plugin', () => {
  it('decorates the app with the stories and characters services, seen by routes registered after it', async () => {
    const {context} = fakeContext()
    const app = Fastify()
    await app.register(serverResources, {context})
    let seen: unknown[] = []
    await app.register(async (scope) => void (seen = [scope.stories, scope.characters]))
    await app.ready()
    expect(seen[0]).toBeInstanceOf(StoriesService)
    expect(seen[1]).toBeInstanceOf(CharactersService)
    await app.close()
  })

  it('closes the jobs, the PDF worker, the monitor, the cache and then the database on app.close()', async () => {
    const {context, closed, cache} = fakeContext()
    const app = Fastify()
    await app.register(serverResources, {context})
    await app.ready()
    expect(closed).toEqual([])

    await app.close()

    expect(closed).toEqual(['jobs', 'pdf', 'observability', 'database'])
    expect(cache.size).toBe(0)
  })

  it('still closes the database when the jobs fail to close, and app.close() reports the failure', async () => {
    const {context, closed} = fakeContext(['jobs'])
    const app = Fastify()
    await app.register(serverResources, {context})
    await app.ready()

    await expect(app.close()).rejects.toThrow('jobs would not close')

    expect(closed).toEqual(['jobs', 'pdf', 'observability', 'database'])
  })
})
