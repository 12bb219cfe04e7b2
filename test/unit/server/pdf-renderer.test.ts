// The PDF worker pool of one, with a stand-in worker (the real one draws with pdfkit and is
// exercised by the server-process test): one start for many first calls, a stuck export replaced
// by a fresh worker, and a bounded queue.
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'
import {workerPdfRenderer, type PdfRenderer} from '../../../src/server/pdf-renderer.js'

const STAND_IN = `const {parentPort, threadId} = require('node:worker_threads')
parentPort.on('message', ({id, story}) => {
  if (story.title === 'hang') return
  setTimeout(() => parentPort.postMessage({id, pdf: new Uint8Array(Buffer.from(String(threadId)))}), story.title === 'slow' ? 50 : 0)
})`

const story = (title: string) => ({title, byline: '', cover: undefined, pages: []})

let folder: string
let renderer: PdfRenderer | undefined
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'storybook-pdf-'))
  await writeFile(join(folder, 'worker.cjs'), STAND_IN)
})
afterEach(async () => {
  vi.useRealTimers()
  await renderer?.close()
  await rm(folder, {recursive: true, force: true})
})

describe('workerPdfRenderer', () => {
  it('starts one worker for exports that arrive together', async () => {
    renderer = workerPdfRenderer(join(folder, 'worker.cjs'))
    const threads = await Promise.all([1, 2, 3, 4].map(() => renderer?.render(story('a'))))
    expect(new Set(threads.map((pdf) => pdf?.toString())).size).toBe(1)
  })

  it('replaces a worker stuck on an export, which fails with TIMEOUT, and serves the next one', async () => {
    // The export deadline runs on a fake clock (the worker's own timers stay real), moved by hand
    // once the stuck export is in: the first export and the one after the replacement, each of
    // which waits for a worker to boot, are never up against the deadline, however loaded the machine.
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
    renderer = workerPdfRenderer(join(folder, 'worker.cjs'), 300)
    const first = (await renderer.render(story('a'))).toString()
    const stuck: {error?: unknown} = {}
    renderer.render(story('hang')).then(
      () => (stuck.error = new Error('the stuck export was answered')),
      (error: unknown) => (stuck.error = error),
    )
    await vi.advanceTimersByTimeAsync(299)
    expect(stuck.error, 'failed before its deadline').toBeUndefined()
    await vi.advanceTimersByTimeAsync(1)
    expect(stuck.error, 'still waiting past its deadline').toMatchObject({code: 'TIMEOUT'})
    const next = (await renderer.render(story('a'))).toString()
    expect(next).not.toBe(first) // a new thread
  })

  it('refuses exports beyond its queue with RATE_LIMITED instead of queueing for minutes', async () => {
    renderer = workerPdfRenderer(join(folder, 'worker.cjs'))
    const results = await Promise.allSettled(Array.from({length: 20}, () => renderer?.render(story('slow'))))
    const refused = results.filter((result) => result.status === 'rejected')
    expect(refused.length).toBeGreaterThan(0)
    expect(refused.every((result) => (result as PromiseRejectedResult).reason.code === 'RATE_LIMITED')).toBe(true)
    expect(results.filter((result) => result.status === 'fulfilled').length).toBeGreaterThanOrEqual(16)
  })
})
