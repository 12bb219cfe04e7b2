// A circuit breaker: after `failureThreshold` failures in a row it opens and refuses calls for
// `openMs`, then lets one trial call through (half-open); a success closes it, a failure opens it again.
export type BreakerState = 'closed' | 'open' | 'half-open'

export interface CircuitBreakerOptions {
  failureThreshold: number
  openMs: number
  now: () => number
}

export class CircuitBreaker {
  private failures = 0
  private openedAt: number | undefined
  private trialInFlight = false

  constructor(private readonly options: CircuitBreakerOptions) {}

  get state(): BreakerState {
    if (this.openedAt === undefined) return 'closed'
    return this.options.now() - this.openedAt >= this.options.openMs ? 'half-open' : 'open'
  }

  get consecutiveFailures(): number {
    return this.failures
  }

  /** Whether a call may go out now; a half-open breaker lets one through at a time. */
  tryPass(): boolean {
    const state = this.state
    if (state === 'closed') return true
    if (state === 'open' || this.trialInFlight) return false
    this.trialInFlight = true
    return true
  }

  success(): void {
    this.failures = 0
    this.openedAt = undefined
    this.trialInFlight = false
  }

  failure(): void {
    this.failures += 1
    this.trialInFlight = false
    if (this.openedAt !== undefined || this.failures >= this.options.failureThreshold)
      this.openedAt = this.options.now()
  }
}
