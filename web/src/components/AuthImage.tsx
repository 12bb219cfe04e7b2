// A picture from the API. Pictures need the session's token, which <img src> cannot send: they are
// fetched when they come near the viewport, kept as object URLs, and shown at the size they take.
import {memo, useEffect, useState} from 'react'
import {fetchFile} from '../api/client'

/** Object URLs by API URL: portraits carry their version and illustrations never change. */
const loaded = new Map<string, Promise<string>>()

function objectUrlFor(url: string): Promise<string> {
  let pending = loaded.get(url)
  if (!pending) {
    pending = fetchFile(url).then((blob) => URL.createObjectURL(blob))
    pending.catch(() => loaded.delete(url))
    loaded.set(url, pending)
  }
  return pending
}

function useNearViewport(element: HTMLElement | null): boolean {
  const [near, setNear] = useState(typeof IntersectionObserver === 'undefined')
  useEffect(() => {
    if (!element || near) return
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) setNear(true)
      },
      {rootMargin: '200px'},
    )
    observer.observe(element)
    return () => observer.disconnect()
  }, [element, near])
  return near
}

export interface AuthImageProps {
  src: string | null
  alt: string
  width: number
  height: number
  className?: string
}

export const AuthImage = memo(function AuthImage({src, alt, width, height, className}: AuthImageProps) {
  const [element, setElement] = useState<HTMLSpanElement | null>(null)
  const near = useNearViewport(element)
  const [objectUrl, setObjectUrl] = useState<string | null>(null)
  const [failed, setFailed] = useState(false)

  useEffect(() => {
    if (!src || !near) return
    let live = true
    setFailed(false)
    objectUrlFor(src).then(
      (url) => live && setObjectUrl(url),
      () => live && setFailed(true),
    )
    return () => {
      live = false
    }
  }, [src, near])

  const style = {aspectRatio: `${width} / ${height}`}
  return (
    <span ref={setElement} className={`picture ${className ?? ''}`} style={style}>
      {objectUrl && src ? (
        <img src={objectUrl} alt={alt} width={width} height={height} loading="lazy" decoding="async" />
      ) : (
        <span className="picture-placeholder" role="img" aria-label={failed ? `${alt} (could not load)` : alt} />
      )}
    </span>
  )
})
