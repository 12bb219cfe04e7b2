// The portrait the API draws for the traits chosen so far, redrawn shortly after each change.
import {useEffect, useState} from 'react'
import type {Traits} from '../api/client'
import {describeError} from '../api/errors'
import {previewUrl} from '../api/preview'

const SIZE = 240
const SETTLE_MS = 250

export function LivePreview({name, traits, ready}: {name: string; traits: Traits; ready: boolean}) {
  const [url, setUrl] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loading, setLoading] = useState(false)
  const key = JSON.stringify({name, traits})

  useEffect(() => {
    if (!ready) return
    let live = true
    setLoading(true)
    const timer = setTimeout(() => {
      const request = JSON.parse(key) as {name: string; traits: Traits}
      previewUrl(request.traits, request.name).then(
        (objectUrl) => {
          if (!live) return
          setUrl(objectUrl)
          setError(null)
          setLoading(false)
        },
        (failure: unknown) => {
          if (!live) return
          setError(describeError(failure))
          setLoading(false)
        },
      )
    }, SETTLE_MS)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [key, ready])

  return (
    <figure className="live-preview" aria-busy={loading}>
      {ready && url ? (
        <img src={url} alt={`Preview of ${name || 'your character'}`} width={SIZE} height={SIZE} />
      ) : (
        <span className="picture-placeholder" style={{width: SIZE, height: SIZE}} aria-hidden="true" />
      )}
      <figcaption role="status">
        {!ready
          ? 'Choose an age group and a species to see your character.'
          : error
            ? error
            : loading
              ? 'Drawing…'
              : 'The picture the API draws from these traits.'}
      </figcaption>
    </figure>
  )
}
