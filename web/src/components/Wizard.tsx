// A step-by-step flow: a progress indicator, the current step, and Back / Next. The steps keep
// their input in a store (not in the step's own state), so going back and forth loses nothing.
// A step may register a check that must pass before Next moves on (see useStepCheck).
import {createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode} from 'react'

export interface WizardStep {
  id: string
  title: string
  content: ReactNode
}

export interface WizardProps {
  label: string
  steps: readonly WizardStep[]
  current: number
  onStepChange(step: number): void
  /** The last step's button: its label and what it does (the step's check runs first). */
  finishLabel: string
  onFinish(): void | Promise<void>
  busy?: boolean
}

type StepCheck = () => boolean | Promise<boolean>
const WizardContext = createContext<(check: StepCheck | null) => void>(() => {})

/** Registers the current step's check: Next (and Finish) run it and stay put when it fails. */
export function useStepCheck(check: StepCheck): void {
  const register = useContext(WizardContext)
  const latest = useRef(check)
  latest.current = check
  useEffect(() => {
    register(() => latest.current())
    return () => register(null)
  }, [register])
}

export function Wizard({label, steps, current, onStepChange, finishLabel, onFinish, busy = false}: WizardProps) {
  const index = Math.min(Math.max(current, 0), steps.length - 1)
  const step = steps[index] as WizardStep
  const check = useRef<StepCheck | null>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  const [checking, setChecking] = useState(false)
  const moved = useRef(false)
  const register = useCallback((next: StepCheck | null) => {
    check.current = next
  }, [])

  // Focus follows the step (not on first render), so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (moved.current) heading.current?.focus()
    moved.current = true
  }, [index])

  const passes = async () => {
    if (!check.current) return true
    setChecking(true)
    try {
      return await check.current()
    } finally {
      setChecking(false)
    }
  }
  const next = async () => {
    if (!(await passes())) return
    if (index === steps.length - 1) await onFinish()
    else onStepChange(index + 1)
  }
  const last = index === steps.length - 1

  return (
    <section className="wizard" aria-label={label}>
      <ol className="wizard-progress" aria-label="Progress">
        {steps.map((item, position) => (
          <li
            key={item.id}
            className={position < index ? 'done' : position === index ? 'current' : 'todo'}
            aria-current={position === index ? 'step' : undefined}
          >
            <span className="wizard-dot" aria-hidden="true">
              {position + 1}
            </span>
            <span className="wizard-step-title">{item.title}</span>
            {position < index && <span className="visually-hidden"> (done)</span>}
          </li>
        ))}
      </ol>
      <p className="wizard-count">
        Step {index + 1} of {steps.length}
      </p>
      <div className="wizard-bar" aria-hidden="true">
        <div style={{width: `${((index + 1) / steps.length) * 100}%`}} />
      </div>
      <h2 ref={heading} tabIndex={-1} className="wizard-heading">
        {step.title}
      </h2>
      <WizardContext.Provider value={register}>
        <div className="wizard-body" key={step.id}>
          {step.content}
        </div>
      </WizardContext.Provider>
      <div className="wizard-actions">
        <button
          type="button"
          className="button secondary"
          onClick={() => onStepChange(index - 1)}
          disabled={index === 0}
        >
          Back
        </button>
        <button type="button" className="button primary" onClick={() => void next()} disabled={busy || checking}>
          {last ? finishLabel : 'Next'}
        </button>
      </div>
    </section>
  )
}
