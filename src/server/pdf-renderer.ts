// Renders story PDFs in a worker thread when the built worker is there (the server), on the event
// loop otherwise (tests of the app from source). pdfkit is synchronous: a 100-page export held the
// event loop for about a second, and with it every other user's requests.
import {existsSync} from 'node:fs'
import type {Worker} from 'node:worker_threads'
import {StorybookError} from '../core/errors.js'
import type {PdfStory} from './pdf.js'

export interface PdfRenderer {
  render(story: PdfStory): Promise<Buffer>
  close(): Promise<void>
}

/** In this thread: for tests that build the app from source, where there is no built worker. */
export function inProcessPdfRenderer(): PdfRenderer {
  return {
    render: async (story) => (await import('./pdf.js')).renderStoryPdf(story),
    close: async () => {},
  }
}

/** Exports waiting or being drawn at once; more are refused (429) rather than queued for minutes. */
const MAX_QUEUED = 16

/**
 * One worker, started on the first export and kept: exports queue in it one by one. A worker that
 * dies, or takes too long over an export, is stopped, fails the exports it held, and is started
 * again by the next one.
 */
export function workerPdfRenderer(workerFile: string, timeoutMs = 60_000): PdfRenderer {
  if (!existsSync(workerFile)) return inProcessPdfRenderer()
  let worker: Promise<Worker> | undefined
  let nextId = 0
  /** Exports accepted and not yet settled, including those waiting for the worker to start. */
  let queued = 0
  const pending = new Map<
    number,
    {resolve: (pdf: Buffer) => void; reject: (error: Error) => void; timer: NodeJS.Timeout}
  >()
  /** Stops this worker (if it is still the current one) and fails everything it held. */
  const retire = (which: Promise<Worker> | undefined, error: Error) => {
    if (!which || which !== worker) return
    worker = undefined
    for (const job of pending.values()) {
      clearTimeout(job.timer)
      job.reject(error)
    }
    pending.clear()
    void which.then((stopping) => stopping.terminate()).catch(() => {})
  }
  const start = async (): Promise<Worker> => {
    const {Worker} = await import('node:worker_threads')
    const started = new Worker(workerFile)
    const self = worker
    started.on('message', (answer: {id: number; pdf?: Uint8Array; error?: string}) => {
      const job = pending.get(answer.id)
      if (!job) return // an export that timed out: its worker was stopped, this is a late answer
      pending.delete(answer.id)
      clearTimeout(job.timer)
      if (answer.pdf) job.resolve(Buffer.from(answer.pdf.buffer, answer.pdf.byteOffset, answer.pdf.byteLength))
      else job.reject(new StorybookError('INTERNAL', `The PDF could not be made: ${answer.error}`))
    })
    started.on('error', (error) =>
      retire(self, new StorybookError('INTERNAL', `The PDF worker failed: ${error.message}`)),
    )
    started.on('exit', () => retire(self, new StorybookError('INTERNAL', 'The PDF worker stopped.')))
    // After the listeners (adding a 'message' listener refs the worker again): an idle worker must not keep the process alive.
    started.unref()
    return started
  }
  return {
    render: async (story) => {
      if (queued >= MAX_QUEUED) {
        throw new StorybookError(
          'RATE_LIMITED',
          `${MAX_QUEUED} PDF exports are already being made; try again in a few seconds.`,
        )
      }
      queued++
      try {
        return await renderInWorker(story)
      } finally {
        queued--
      }
    },
    close: async () => {
      const stopping = worker
      retire(stopping, new StorybookError('INTERNAL', 'The server is shutting down.'))
      await stopping?.then((thread) => thread.terminate()).catch(() => {})
    },
  }

  async function renderInWorker(story: PdfStory): Promise<Buffer> {
    if (!worker) {
      // The promise is kept, so that exports arriving while the worker starts share it.
      const starting = start()
      worker = starting
      starting.catch(() => worker === starting && (worker = undefined))
    }
    const current = worker
    const id = nextId++
    const thread = await current
    if (current !== worker) throw new StorybookError('INTERNAL', 'The PDF worker stopped.') // retired while it started
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        // Stuck or far too slow: the exports behind it would wait as long, so start afresh.
        const late = new StorybookError('TIMEOUT', `The PDF took longer than ${timeoutMs / 1000} s.`)
        retire(current, late)
        if (pending.delete(id)) reject(late)
      }, timeoutMs)
      pending.set(id, {resolve, reject, timer})
      try {
        thread.postMessage({id, story})
      } catch (error) {
        pending.delete(id)
        clearTimeout(timer)
        reject(error as Error)
      }
    })
  }
}
