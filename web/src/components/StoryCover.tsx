// A story's picture: its first illustrated page, looked up once per version of the story.
import {memo, useEffect, useState} from 'react'
import {api, call, type Story} from '../api/client'
import {AuthImage} from './AuthImage'

const covers = new Map<string, Promise<string | null>>()

function coverOf(story: Story): Promise<string | null> {
  const key = `${story.id}:${story.updatedAt}`
  let pending = covers.get(key)
  if (!pending) {
    pending = call(() => api.GET('/api/stories/{id}', {params: {path: {id: story.id}}})).then(
      (detail) => detail.pages.find((page) => page.illustrationUrl)?.illustrationUrl ?? null,
    )
    pending.catch(() => covers.delete(key))
    covers.set(key, pending)
  }
  return pending
}

export const StoryCover = memo(function StoryCover({
  story,
  width,
  height,
}: {
  story: Story
  width: number
  height: number
}) {
  const [url, setUrl] = useState<string | null>(null)
  useEffect(() => {
    if (story.pageCount === 0) return
    let live = true
    coverOf(story).then(
      (found) => live && setUrl(found),
      () => {},
    )
    return () => {
      live = false
    }
  }, [story])
  return url ? (
    <AuthImage src={url} alt={`Cover of ${story.title}`} width={width} height={height} />
  ) : (
    <span
      className="picture picture-placeholder cover-placeholder"
      style={{aspectRatio: `${width} / ${height}`}}
      aria-hidden="true"
    >
      <span>{story.title.slice(0, 1)}</span>
    </span>
  )
})
