// The PDF export's worker thread (dist/pdf-worker.cjs): renders one story at a time, off the API's
// event loop, so that a long export does not stall every other request.
import {parentPort} from 'node:worker_threads'
import {renderStoryPdf, type PdfStory} from './pdf.js'

parentPort?.on('message', (job: {id: number; story: PdfStory}) => {
  renderStoryPdf(job.story).then(
    (pdf) => {
      const bytes = new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength)
      parentPort?.postMessage({id: job.id, pdf: bytes})
    },
    (error: unknown) => parentPort?.postMessage({id: job.id, error: (error as Error).message ?? String(error)}),
  )
})
