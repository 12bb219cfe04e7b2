// Watches an illustration job: polls the API until the job has succeeded or failed, and shows
// how many pages are drawn. Polling errors (the API down for a moment) are shown and retried.
import {useEffect, useState} from 'react'
import {api, call, type Job} from '../api/client'
import {ApiError, describeError} from '../api/errors'

export const POLL_MS = 600
export const isFinished = (job: Job | null) => job?.status === 'succeeded' || job?.status === 'failed'

export function useJob(jobId: string | null): {job: Job | null; error: string | null} {
  const [job, setJob] = useState<Job | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    if (!jobId) return
    let live = true
    let timer: ReturnType<typeof setTimeout> | undefined
    const poll = async () => {
      try {
        const latest = await call(() => api.GET('/api/jobs/{id}', {params: {path: {id: jobId}}}))
        if (!live) return
        setJob(latest)
        setError(null)
        if (isFinished(latest)) return
      } catch (failure) {
        if (!live) return
        setError(describeError(failure))
        if (failure instanceof ApiError && failure.problem !== 'api-down') return
      }
      timer = setTimeout(() => void poll(), POLL_MS)
    }
    void poll()
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [jobId])
  return {job, error}
}

export function JobProgress({job, error}: {job: Job | null; error: string | null}) {
  const done = job?.progress.done ?? 0
  const total = job?.progress.total ?? 0
  const text = !job
    ? 'Starting…'
    : job.status === 'succeeded'
      ? `All ${total} pictures are drawn.`
      : job.status === 'failed'
        ? `Drawing stopped: ${job.error ?? 'unknown error'}`
        : `Drawing page ${Math.min(done + 1, total)} of ${total}…`
  return (
    <div className="job-progress">
      <label>
        <span>Pictures</span>
        <progress max={Math.max(total, 1)} value={done} aria-valuetext={`${done} of ${total} pictures drawn`} />
      </label>
      <p role="status">{text}</p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}
