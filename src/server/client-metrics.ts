// What browsers running the studio report (POST /api/client-metrics): uncaught errors, requests the
// API refused, page-load timings (web-vitals) and whether the main interactions succeeded. Kept as
// running aggregates with bounded memory, for the dashboard (GET /api/monitoring/client).

export const VITALS = ['LCP', 'INP', 'CLS', 'TTFB', 'FCP'] as const
export const INTERACTIONS = ['signup', 'login', 'character-wizard', 'story-wizard', 'pdf-export'] as const

export type ClientEvent =
  | {type: 'error'; message: string; page: string}
  | {type: 'rejected-request'; status: number; path: string}
  | {type: 'vital'; name: (typeof VITALS)[number]; value: number}
  | {type: 'interaction'; name: (typeof INTERACTIONS)[number]; ok: boolean}

export interface ClientSummary {
  batches: number
  errors: {count: number; recent: Array<{message: string; page: string; time: number}>}
  rejectedRequests: {count: number; byStatus: Record<string, number>}
  /** The 75th percentile of each timing (what web-vitals thresholds are judged on), over its latest values. */
  vitals: Record<string, {count: number; p75: number}>
  interactions: Record<string, {attempts: number; successes: number; successRate: number}>
}

const RECENT_ERRORS = 20
const SAMPLES_PER_VITAL = 500

export class ClientMetrics {
  private batches = 0
  private errorCount = 0
  private readonly recentErrors: ClientSummary['errors']['recent'] = []
  private rejected = 0
  private readonly rejectedByStatus = new Map<number, number>()
  private readonly vitals = new Map<string, {count: number; samples: number[]}>()
  private readonly interactions = new Map<string, {attempts: number; successes: number}>()

  record(events: readonly ClientEvent[], time: number): void {
    this.batches++
    for (const event of events) {
      switch (event.type) {
        case 'error':
          this.errorCount++
          this.recentErrors.push({message: event.message, page: event.page, time})
          if (this.recentErrors.length > RECENT_ERRORS) this.recentErrors.shift()
          break
        case 'rejected-request':
          this.rejected++
          this.rejectedByStatus.set(event.status, (this.rejectedByStatus.get(event.status) ?? 0) + 1)
          break
        case 'vital': {
          const vital = this.vitals.get(event.name) ?? {count: 0, samples: []}
          vital.count++
          vital.samples.push(event.value)
          if (vital.samples.length > SAMPLES_PER_VITAL) vital.samples.shift()
          this.vitals.set(event.name, vital)
          break
        }
        case 'interaction': {
          const interaction = this.interactions.get(event.name) ?? {attempts: 0, successes: 0}
          interaction.attempts++
          if (event.ok) interaction.successes++
          this.interactions.set(event.name, interaction)
          break
        }
      }
    }
  }

  summary(): ClientSummary {
    const p75 = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b)
      return sorted[Math.min(sorted.length - 1, Math.ceil(0.75 * sorted.length) - 1)] ?? 0
    }
    return {
      batches: this.batches,
      errors: {count: this.errorCount, recent: [...this.recentErrors]},
      rejectedRequests: {
        count: this.rejected,
        byStatus: Object.fromEntries([...this.rejectedByStatus].map(([status, count]) => [String(status), count])),
      },
      vitals: Object.fromEntries(
        [...this.vitals].map(([name, vital]) => [name, {count: vital.count, p75: p75(vital.samples)}]),
      ),
      interactions: Object.fromEntries(
        [...this.interactions].map(([name, counts]) => [
          name,
          {...counts, successRate: counts.attempts === 0 ? 0 : counts.successes / counts.attempts},
        ]),
      ),
    }
  }
}
