// inDependencyOrder: services that do not depend on each other start together, a dependant waits
// for what it depends on, results keep the order asked for, and a failure surfaces after its wave.
import {describe, expect, it} from 'vitest'
import type {ServiceSpec} from '../../../src/core/process/registry.js'
import {inDependencyOrder} from '../../../src/services/start-services.js'

const spec = (name: string, dependsOn: string[] = []) => ({name, dependsOn}) as unknown as ServiceSpec

/** A start function whose calls finish only when the test says so. */
function controlledStarts() {
  const events: string[] = []
  const pending = new Map<string, {resolve: () => void; reject: (error: Error) => void}>()
  const start = (service: ServiceSpec) => {
    events.push(`start ${service.name}`)
    return new Promise<string>((resolve, reject) => {
      pending.set(service.name, {
        resolve: () => {
          events.push(`up ${service.name}`)
          resolve(`${service.name}-result`)
        },
        reject,
      })
    })
  }
  const until = async (name: string) => {
    for (let tries = 0; !pending.has(name); tries++) {
      if (tries > 1000) throw new Error(`${name} was never started; events: ${events.join(', ')}`)
      await Promise.resolve()
    }
    return pending.get(name) as {resolve: () => void; reject: (error: Error) => void}
  }
  return {events, start, until}
}

describe('inDependencyOrder', () => {
  it('starts independent services together and returns results in the order asked for', async () => {
    const {events, start, until} = controlledStarts()
    const all = inDependencyOrder([spec('web'), spec('api')], start)
    const api = await until('api')
    const web = await until('web')
    expect(events).toEqual(['start web', 'start api'])
    api.resolve()
    web.resolve()
    expect(await all).toEqual(['web-result', 'api-result'])
  })

  it('starts a dependant only after what it depends on is up; a dependency not asked for does not hold it', async () => {
    const {events, start, until} = controlledStarts()
    const all = inDependencyOrder([spec('dashboard', ['api', 'absent']), spec('api')], start)
    ;(await until('api')).resolve()
    ;(await until('dashboard')).resolve()
    await all
    expect(events).toEqual(['start api', 'up api', 'start dashboard', 'up dashboard'])
  })

  it('throws the first failure once its wave has settled, and starts nothing after it', async () => {
    const {events, start, until} = controlledStarts()
    const all = inDependencyOrder([spec('api'), spec('web'), spec('dashboard', ['api'])], start)
    const outcome = all.then(
      () => 'resolved',
      (error: Error) => error.message,
    )
    ;(await until('api')).reject(new Error('api crashed'))
    ;(await until('web')).resolve()
    expect(await outcome).toBe('api crashed')
    expect(events).not.toContain('start dashboard')
  })

  it('refuses services that depend on each other', async () => {
    const {start} = controlledStarts()
    await expect(inDependencyOrder([spec('a', ['b']), spec('b', ['a'])], start)).rejects.toThrow(
      'The services a, b depend on each other.',
    )
  })
})
