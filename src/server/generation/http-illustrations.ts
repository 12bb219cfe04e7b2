// An illustration provider for an OpenAI-style image endpoint (POST {prompt, size, n,
// response_format: "b64_json"} → {data: [{b64_json}]}), with a timeout per attempt, retries with
// exponential backoff and jitter, and a circuit breaker that stops calling a service that keeps failing.
import {StorybookError} from '../../core/errors.js'
import {
  describeIllustration,
  type GeneratedImage,
  type IllustrationProvider,
  type IllustrationRequest,
} from './types.js'

export interface HttpProviderOptions {
  url: string
  apiKey?: string | undefined
  timeoutMs?: number
  retries?: number
  backoffMs?: number
  /** Consecutive failed requests that open the circuit. */
  failureThreshold?: number
  /** How long an open circuit refuses calls before one trial request. */
  cooldownMs?: number
  fetch?: typeof fetch
  clock?: () => number
  sleep?: (ms: number) => Promise<void>
}

type CircuitState = 'closed' | 'open' | 'half-open'

/** Retry on timeouts, network errors, 429 and 5xx; a 4xx other than 429 is our fault and final. */
class AttemptError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message)
  }
}

export class HttpIllustrationProvider implements IllustrationProvider {
  readonly name = 'http'
  private failures = 0
  private openedAt = 0
  private state: CircuitState = 'closed'
  private readonly options: Required<Omit<HttpProviderOptions, 'apiKey'>> & {apiKey: string | undefined}

  constructor(options: HttpProviderOptions) {
    this.options = {
      timeoutMs: 15_000,
      retries: 2,
      backoffMs: 250,
      failureThreshold: 5,
      cooldownMs: 30_000,
      fetch: globalThis.fetch,
      clock: Date.now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      ...options,
      apiKey: options.apiKey,
    }
  }

  get circuit(): CircuitState {
    return this.state
  }

  async generate(request: IllustrationRequest, signal?: AbortSignal): Promise<GeneratedImage> {
    const {clock, cooldownMs} = this.options
    if (this.state === 'open') {
      if (clock() - this.openedAt < cooldownMs) {
        const nextTrialS = Math.ceil((cooldownMs - (clock() - this.openedAt)) / 1000)
        throw new StorybookError('EXTERNAL_FAILED', 'The image service is failing; calls are paused for a while.', {
          reason: `${this.failures} requests in a row failed; the next trial is in ${nextTrialS} s.`,
          next: ['storybook env show', 'IMAGE_PROVIDER=builtin storybook restart api'],
          details: {circuit: 'open'},
        })
      }
      this.state = 'half-open'
    }
    const prompt = describeIllustration(request)
    let lastError: AttemptError | undefined
    const attempts = this.state === 'half-open' ? 1 : this.options.retries + 1
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) {
        const delay = this.options.backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2)
        await this.options.sleep(delay)
      }
      try {
        const content = await this.attempt(prompt, request, signal)
        this.failures = 0
        this.state = 'closed'
        return {
          provider: this.name,
          mimeType: 'image/png',
          content,
          width: request.width,
          height: request.height,
          prompt,
        }
      } catch (error) {
        if (signal?.aborted) throw error
        lastError = error instanceof AttemptError ? error : new AttemptError((error as Error).message, true)
        if (!lastError.retryable) break
      }
    }
    this.failures++
    if (this.state === 'half-open' || this.failures >= this.options.failureThreshold) {
      this.state = 'open'
      this.openedAt = clock()
    }
    throw new StorybookError('EXTERNAL_FAILED', `The image service failed: ${lastError?.message ?? 'unknown error'}.`, {
      reason: `Tried ${attempts} time${attempts === 1 ? '' : 's'}.`,
      next: ['storybook env show', 'IMAGE_PROVIDER=builtin storybook restart api'],
      details: {circuit: this.state},
    })
  }

  private async attempt(
    prompt: string,
    request: IllustrationRequest,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs)
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout
    let response: Response
    try {
      response = await this.options.fetch(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.options.apiKey ? {authorization: `Bearer ${this.options.apiKey}`} : {}),
        },
        body: JSON.stringify({prompt, n: 1, size: `${request.width}x${request.height}`, response_format: 'b64_json'}),
        signal: combined,
      })
    } catch (error) {
      throw new AttemptError(
        timeout.aborted ? `no answer within ${this.options.timeoutMs} ms` : (error as Error).message,
        true,
      )
    }
    if (!response.ok) {
      await response.body?.cancel()
      throw new AttemptError(`HTTP ${response.status}`, response.status === 429 || response.status >= 500)
    }
    const body = (await response.json().catch(() => undefined)) as {data?: Array<{b64_json?: string}>} | undefined
    const content = body?.data?.[0]?.b64_json
    if (typeof content !== 'string' || content.length === 0) throw new AttemptError('the answer held no image', true)
    return content
  }
}
