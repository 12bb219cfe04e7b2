// The read cache's loads: a value read before an invalidation of its key is returned to its
// reader but never kept, so the write that invalidated wins. Deferred loads, no sleeps.
import {describe, expect, it} from 'vitest'
import {ReadCache} from '../../../src/server/read-cache.js'

/** A load that finishes when the test says so. */
function deferredLoad<T>() {
  let finish: (value: T) => void = () => {}
  let calls = 0
  const value = new Promise<T>((resolve) => (finish = resolve))
  return {
    load: () => {
      calls++
      return value
    },
    finish,
    calls: () => calls,
  }
}

describe('ReadCache.getOrLoad', () => {
  it('keeps what it loaded, and answers the next reader without loading', async () => {
    const cache = new ReadCache()
    expect(await cache.getOrLoad('story:1:u', async () => 'v1')).toBe('v1')
    expect(await cache.getOrLoad('story:1:u', async () => 'never loaded')).toBe('v1')
  })

  it('does not keep a value whose key was invalidated while it loaded', async () => {
    const cache = new ReadCache()
    const read = deferredLoad<string>()
    // Given a read that has its (old) value but has not stored it
    const reading = cache.getOrLoad('story:1:u', read.load)
    // When a write invalidates the story, and only then the read finishes
    cache.invalidate('story:1:')
    read.finish('old')
    // Then its reader gets what it read, and the next reader loads the new version
    expect(await reading).toBe('old')
    expect(cache.get('story:1:u')).toBeUndefined()
    expect(await cache.getOrLoad('story:1:u', async () => 'new')).toBe('new')
    expect(cache.get('story:1:u')).toBe('new')
  })

  it('keeps a value when only other keys were invalidated while it loaded', async () => {
    const cache = new ReadCache()
    const read = deferredLoad<string>()
    const reading = cache.getOrLoad('story:1:u', read.load)
    cache.invalidate('story:2:')
    read.finish('v1')
    await reading
    expect(cache.get('story:1:u')).toBe('v1')
  })

  it('does not keep a value loaded across clear()', async () => {
    const cache = new ReadCache()
    const read = deferredLoad<string>()
    const reading = cache.getOrLoad('story:1:u', read.load)
    cache.clear()
    read.finish('v1')
    await reading
    expect(cache.size).toBe(0)
  })

  it('lets a load that fails leave nothing behind, and the next reader loads again', async () => {
    const cache = new ReadCache()
    await expect(cache.getOrLoad('story:1:u', async () => Promise.reject(new Error('down')))).rejects.toThrow('down')
    const read = deferredLoad<string>()
    const reading = cache.getOrLoad('story:1:u', read.load)
    read.finish('v1')
    expect(await reading).toBe('v1')
    expect(read.calls()).toBe(1)
  })
})
