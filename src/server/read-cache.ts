// A small in-memory cache for hot reads (story reads), with explicit invalidation from every
// write path. Bounded in size; entries also expire, so a missed invalidation cannot live long.

export class ReadCache {
  private readonly entries = new Map<string, {value: unknown; expires: number}>()

  constructor(
    private readonly maxEntries = 1_000,
    private readonly ttlMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  get<T>(key: string): T | undefined {
    const entry = this.entries.get(key)
    if (!entry) return undefined
    if (entry.expires < this.now()) {
      this.entries.delete(key)
      return undefined
    }
    return entry.value as T
  }

  set(key: string, value: unknown, ttlMs = this.ttlMs): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value
      if (oldest !== undefined) this.entries.delete(oldest)
    }
    this.entries.set(key, {value, expires: this.now() + ttlMs})
  }

  /** Drops every key that starts with `prefix` (e.g. `story:<id>`). */
  invalidate(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key)
  }

  /** Drops every entry (the app is closing). */
  clear(): void {
    this.entries.clear()
  }

  get size(): number {
    return this.entries.size
  }
}
