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

/**
 * One worker, started on the first export and kept: exports queue in it one by one. A worker that
 * dies fails the exports it held and is started again by the next one.
 */
export function workerPdfRenderer(workerFile: string, timeoutMs = 60_000): PdfRenderer {
  if (!existsSync(workerFile)) return inProcessPdfRenderer()
  let worker: Worker | undefined
  let nextId = 0
  const pending = new Map<number, {resolve: (pdf: Buffer) => void; reject: (error: Error) => void; timer: NodeJS.Timeout}>()
  const failAll = (error: Error) => {
    for (const job of pending.values()) (clearTimeout(job.timer), job.reject(error))
    pending.clear()
    worker = undefined
  }
  const start = async (): Promise<Worker> => {
    const {Worker} = await import('node:worker_threads')
    const started = new Worker(workerFile)
    started.unref() // an idle worker must not keep the server alive
    started.on('message', (answer: {id: number; pdf?: Uint8Array; error?: string}) => {
      const job = pending.get(answer.id)
      if (!job) return
      pending.delete(answer.id)
      clearTimeout(job.timer)
      if (answer.pdf) job.resolve(Buffer.from(answer.pdf.buffer, answer.pdf.byteOffset, answer.pdf.byteLength))
      else job.reject(new StorybookError('INTERNAL', `The PDF could not be made: ${answer.error}`))
    })
    started.on('error', (error) => failAll(new StorybookError('INTERNAL', `The PDF worker failed: ${error.message}`)))
    started.on('exit', () => worker === started && failAll(new StorybookError('INTERNAL', 'The PDF worker stopped.')))
    return started
  }
  return {
    render: async (story) => {
      worker ??= await start()
      const id = nextId++
      const current = worker
      return new Promise<Buffer>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id)
          reject(new StorybookError('TIMEOUT', `The PDF took longer than ${timeoutMs / 1000} s.`))
        }, timeoutMs)
        pending.set(id, {resolve, reject, timer})
        current.postMessage({id, story})
      })
    },
    close: async () => {
      const stopping = worker
      worker = undefined
      failAll(new StorybookError('INTERNAL', 'The server is shutting down.'))
      await stopping?.terminate()
    },
  }
}
