// Loading and error states, announced to screen readers.
import type {ReactNode} from 'react'

export function Loading({label = 'Loading…'}: {label?: string}) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  )
}

export function ErrorNotice({
  message,
  onRetry,
  children,
}: {
  message: string
  onRetry?: () => void
  children?: ReactNode
}) {
  return (
    <div className="error-notice" role="alert">
      <p>{message}</p>
      {children}
      {onRetry && (
        <button type="button" className="button secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  )
}
