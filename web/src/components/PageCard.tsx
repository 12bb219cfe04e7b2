// One page in the story editor: its picture, its words, and the buttons to redraw, move or delete it.
// Keyboard: Alt+ArrowUp / Alt+ArrowDown move the page (anywhere on the card but in the text box).
import {memo, useState, type DragEvent, type KeyboardEvent} from 'react'
import type {Page} from '../api/client'
import {AuthImage} from './AuthImage'

export interface PageCardProps {
  page: Page
  index: number
  count: number
  text: string
  dirty: boolean
  saving: boolean
  regenerating: boolean
  error: string | null
  confirmDeletes: boolean
  onText(text: string): void
  onSave(): void
  onRegenerate(): void
  onMove(to: number): void
  onDelete(): void
  onDragStart(): void
  onDropHere(): void
}

export const PageCard = memo(function PageCard(props: PageCardProps) {
  const {page, index, count, text, dirty, saving, regenerating, error, confirmDeletes} = props
  const [confirming, setConfirming] = useState(false)
  const number = index + 1
  const textId = `page-text-${page.id}`

  const onKeyDown = (event: KeyboardEvent<HTMLLIElement>) => {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return
    if ((event.target as HTMLElement).tagName === 'TEXTAREA') return
    event.preventDefault()
    props.onMove(event.key === 'ArrowUp' ? index - 1 : index + 1)
  }
  const onDragOver = (event: DragEvent<HTMLLIElement>) => event.preventDefault()
  const onDrop = (event: DragEvent<HTMLLIElement>) => {
    event.preventDefault()
    props.onDropHere()
  }
  const remove = () => (confirmDeletes && !confirming ? setConfirming(true) : props.onDelete())

  return (
    <li
      className="page-card"
      data-page-id={page.id}
      tabIndex={-1}
      aria-labelledby={`page-heading-${page.id}`}
      onKeyDown={onKeyDown}
      draggable
      onDragStart={(event) => {
        event.dataTransfer?.setData('text/plain', page.id)
        props.onDragStart()
      }}
      onDragOver={onDragOver}
      onDrop={onDrop}
    >
      <div className="page-picture">
        <AuthImage src={page.illustrationUrl} alt={`Picture of page ${number}`} width={400} height={300} />
        <button type="button" className="button secondary" onClick={props.onRegenerate} disabled={regenerating}>
          {regenerating ? 'Drawing…' : 'Draw a new picture'}
        </button>
      </div>
      <div className="page-words">
        <h2 id={`page-heading-${page.id}`} className="page-title">
          <span className="drag-handle" aria-hidden="true" title="Drag to move">
            ⠿
          </span>
          Page {number}
        </h2>
        <label htmlFor={textId}>Text of page {number}</label>
        <textarea
          id={textId}
          rows={4}
          value={text}
          maxLength={2000}
          onChange={(event) => props.onText(event.target.value)}
        />
        <div className="page-actions">
          <button type="button" className="button primary" onClick={props.onSave} disabled={!dirty || saving}>
            {saving ? 'Saving…' : dirty ? 'Save text' : 'Saved'}
          </button>
          <button
            type="button"
            className="button secondary"
            onClick={() => props.onMove(index - 1)}
            disabled={index === 0}
            data-move="up"
            aria-keyshortcuts="Alt+ArrowUp"
            aria-label={`Move up (page ${number})`}
          >
            Move up
          </button>
          <button
            type="button"
            className="button secondary"
            onClick={() => props.onMove(index + 1)}
            disabled={index === count - 1}
            data-move="down"
            aria-keyshortcuts="Alt+ArrowDown"
            aria-label={`Move down (page ${number})`}
          >
            Move down
          </button>
          {confirming ? (
            <>
              <button type="button" className="button danger" onClick={props.onDelete}>
                Delete page {number}
              </button>
              <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
                Keep it
              </button>
            </>
          ) : (
            <button type="button" className="button danger" onClick={remove} aria-label={`Delete page ${number}`}>
              Delete
            </button>
          )}
        </div>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
    </li>
  )
})
