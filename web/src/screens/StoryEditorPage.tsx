// The story editor: edit each page's words, redraw a picture, reorder pages by drag or keyboard,
// add and delete pages, draw every picture, and download the PDF.
import {useCallback, useEffect, useLayoutEffect, useRef, useState} from 'react'
import {Link, useParams} from 'react-router'
import {api, call, fetchFile, type Page, type StoryDetail} from '../api/client'
import {describeError} from '../api/errors'
import {isFinished, JobProgress, useJob} from '../components/JobProgress'
import {PageCard} from '../components/PageCard'
import {moveItem} from '../components/reorder'
import {ErrorNotice, Loading} from '../components/Status'
import {useSettings} from '../store/settings'
import {useStories} from '../store/stories'
import {reportInteraction} from '../metrics'

type Busy = 'saving' | 'regenerating' | 'deleting'

/** Saves a blob under a file name, the way a download link would. */
function saveFile(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

export const pdfFileName = (title: string) =>
  `${
    title
      .trim()
      .replace(/[^\w -]+/g, '')
      .replace(/\s+/g, '-') || 'story'
  }.pdf`

function useStory(id: string) {
  const [story, setStory] = useState<StoryDetail | null>(null)
  const [error, setError] = useState<string | null>(null)
  const load = useCallback(async () => {
    setError(null)
    try {
      setStory(await call(() => api.GET('/api/stories/{id}', {params: {path: {id}}})))
    } catch (failure) {
      setError(describeError(failure))
    }
  }, [id])
  useEffect(() => {
    void load()
  }, [load])
  return {story, setStory, error, load}
}

function ExportLink({story}: {story: StoryDetail}) {
  const [state, setState] = useState<{busy: boolean; error: string | null}>({busy: false, error: null})
  const href = `/api/stories/${story.id}/export.pdf`
  const download = async () => {
    setState({busy: true, error: null})
    try {
      saveFile(await fetchFile(href), pdfFileName(story.title))
      reportInteraction('pdf-export', true)
      setState({busy: false, error: null})
    } catch (failure) {
      reportInteraction('pdf-export', false)
      setState({busy: false, error: describeError(failure)})
    }
  }
  return (
    <div className="export">
      <a
        className="button primary"
        href={href}
        download={pdfFileName(story.title)}
        aria-disabled={state.busy}
        onClick={(event) => {
          // The API wants the session's token, which a plain link cannot send.
          event.preventDefault()
          if (!state.busy) void download()
        }}
      >
        {state.busy ? 'Preparing the PDF…' : 'Download PDF'}
      </a>
      {state.busy && <span role="status">Preparing the PDF…</span>}
      {state.error && <ErrorNotice message={state.error} />}
    </div>
  )
}

export function StoryEditorPage() {
  const {id = ''} = useParams()
  const {story, setStory, error, load} = useStory(id)
  const {pageDrafts, setPageDraft, clearPageDraft} = useStories()
  const confirmDeletes = useSettings((state) => state.confirmDeletes)
  const [busy, setBusy] = useState<Record<string, Busy>>({})
  const [pageErrors, setPageErrors] = useState<Record<string, string>>({})
  const [notice, setNotice] = useState('')
  const [storyError, setStoryError] = useState<string | null>(null)
  const [jobId, setJobId] = useState<string | null>(null)
  const {job, error: jobError} = useJob(jobId)
  const dragged = useRef<string | null>(null)
  /** Only the latest move's answer is applied: an older one would undo the moves after it. */
  const moveSeq = useRef(0)
  const focusAfterMove = useRef<{pageId: string; control: 'up' | 'down' | 'card'} | null>(null)

  const pages = story?.pages ?? []
  const setPages = (update: (pages: Page[]) => Page[]) =>
    setStory((current) => current && {...current, pages: update(current.pages)})
  const mark = (pageId: string, state: Busy | null, failure: string | null = null) => {
    setBusy(({[pageId]: _old, ...rest}) => (state ? {...rest, [pageId]: state} : rest))
    setPageErrors(({[pageId]: _old, ...rest}) => (failure ? {...rest, [pageId]: failure} : rest))
  }

  useEffect(() => {
    if (isFinished(job)) void load()
  }, [job, load])

  // After a move the page's card is somewhere else: keep the keyboard focus on it.
  useLayoutEffect(() => {
    const target = focusAfterMove.current
    if (!target) return
    focusAfterMove.current = null
    const card = document.querySelector<HTMLElement>(`[data-page-id="${target.pageId}"]`)
    const button = card?.querySelector<HTMLButtonElement>(`button[data-move="${target.control}"]`)
    ;(button && !button.disabled ? button : card)?.focus()
  })

  const move = async (from: number, to: number, control: 'up' | 'down' | 'card') => {
    if (to < 0 || to >= pages.length || from === to) return
    const before = pages
    const after = moveItem(pages, from, to)
    const moved = before[from] as Page
    focusAfterMove.current = {pageId: moved.id, control}
    setPages(() => after)
    setNotice(`Page ${from + 1} moved to position ${to + 1} of ${after.length}.`)
    setStoryError(null)
    const seq = ++moveSeq.current
    try {
      const saved = await call(() =>
        api.PUT('/api/stories/{id}/pages/order', {params: {path: {id}}, body: {pageIds: after.map((page) => page.id)}}),
      )
      if (seq === moveSeq.current) setPages(() => saved.pages)
    } catch (failure) {
      if (seq === moveSeq.current) setPages(() => before)
      setStoryError(`The new order was not saved: ${describeError(failure)}`)
    }
  }

  const save = async (page: Page) => {
    const text = pageDrafts[page.id]
    if (text === undefined) return
    mark(page.id, 'saving')
    try {
      const saved = await call(() =>
        api.PATCH('/api/stories/{id}/pages/{pageId}', {params: {path: {id, pageId: page.id}}, body: {text}}),
      )
      setPages((all) => all.map((item) => (item.id === page.id ? saved : item)))
      clearPageDraft(page.id)
      mark(page.id, null)
    } catch (failure) {
      mark(page.id, null, describeError(failure))
    }
  }

  const regenerate = async (page: Page) => {
    mark(page.id, 'regenerating')
    try {
      const saved = await call(() =>
        api.POST('/api/stories/{id}/pages/{pageId}/regenerate', {params: {path: {id, pageId: page.id}}}),
      )
      setPages((all) => all.map((item) => (item.id === page.id ? {...saved, text: item.text} : item)))
      mark(page.id, null)
    } catch (failure) {
      mark(page.id, null, describeError(failure))
    }
  }

  const remove = async (page: Page, index: number) => {
    mark(page.id, 'deleting')
    try {
      await call(() => api.DELETE('/api/stories/{id}/pages/{pageId}', {params: {path: {id, pageId: page.id}}}))
      setPages((all) => all.filter((item) => item.id !== page.id))
      clearPageDraft(page.id)
      setNotice(`Page ${index + 1} deleted.`)
      mark(page.id, null)
    } catch (failure) {
      mark(page.id, null, describeError(failure))
    }
  }

  const addPage = async () => {
    setStoryError(null)
    try {
      const page = await call(() => api.POST('/api/stories/{id}/pages', {params: {path: {id}}, body: {text: ''}}))
      setPages((all) => [...all, page])
      setNotice(`Page ${pages.length + 1} added.`)
    } catch (failure) {
      setStoryError(describeError(failure))
    }
  }

  const drawAll = async () => {
    setStoryError(null)
    try {
      setJobId((await call(() => api.POST('/api/stories/{id}/illustrations', {params: {path: {id}}}))).id)
    } catch (failure) {
      setStoryError(describeError(failure))
    }
  }

  if (error && !story)
    return (
      <main id="main" className="page">
        <ErrorNotice message={error} onRetry={() => void load()} />
      </main>
    )
  if (!story)
    return (
      <main id="main" className="page">
        <Loading label="Loading the story…" />
      </main>
    )

  const drawing = jobId !== null && !isFinished(job)
  return (
    <main id="main" className="page editor">
      <p>
        <Link to="/stories">All stories</Link>
      </p>
      <div className="page-heading">
        <h1>{story.title}</h1>
        <ExportLink story={story} />
      </div>
      <p className="card-meta">
        Ages {story.targetAge}
        {story.theme ? ` · ${story.theme}` : ''} · {pages.length} pages
      </p>
      <p className="hint">Drag a page to move it, or use its Move buttons (Alt+Arrow up or down on a page).</p>
      <p className="visually-hidden" role="status" aria-live="polite">
        {notice}
      </p>
      {storyError && <ErrorNotice message={storyError} />}
      {jobId && <JobProgress job={job} error={jobError} />}
      {pages.length === 0 && <p>This story has no pages yet.</p>}
      <ol className="pages" aria-label="Pages">
        {pages.map((page, index) => {
          const draft = pageDrafts[page.id]
          return (
            <PageCard
              key={page.id}
              page={page}
              index={index}
              count={pages.length}
              text={draft ?? page.text}
              dirty={draft !== undefined && draft !== page.text}
              saving={busy[page.id] === 'saving'}
              regenerating={busy[page.id] === 'regenerating'}
              error={pageErrors[page.id] ?? null}
              confirmDeletes={confirmDeletes}
              onText={(text) => setPageDraft(page.id, text)}
              onSave={() => void save(page)}
              onRegenerate={() => void regenerate(page)}
              onMove={(to) => void move(index, to, to < index ? 'up' : 'down')}
              onDelete={() => void remove(page, index)}
              onDragStart={() => (dragged.current = page.id)}
              onDropHere={() => {
                const from = pages.findIndex((item) => item.id === dragged.current)
                dragged.current = null
                if (from >= 0) void move(from, index, 'card')
              }}
            />
          )
        })}
      </ol>
      <div className="actions">
        <button type="button" className="button secondary" onClick={() => void addPage()}>
          Add a page
        </button>
        <button
          type="button"
          className="button secondary"
          onClick={() => void drawAll()}
          disabled={drawing || pages.length === 0}
        >
          {drawing ? 'Drawing…' : 'Draw every picture again'}
        </button>
      </div>
    </main>
  )
}
