// A small in-memory cache for hot reads (story reads), with explicit invalidation from every
// write path. Bounded in size; entries also expire, so a missed invalidation cannot live long.

/** A load under way: invalidating its key meanwhile marks it stale, and a stale value is not kept. */
interface Load {
  key: string
  stale: boolean
}

export class ReadCache {
  private readonly entries = new Map<string, {value: unknown; expires: number}>()
  private readonly loads = new Set<Load>()

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

  /**
   * The cached value, or `load()`'s, kept for next time unless the key was invalidated while it
   * loaded: a write that lands between the read and the store wins, instead of its old version
   * being kept until the entry expires.
   */
  async getOrLoad<T>(key: string, load: () => Promise<T>): Promise<T> {
    const cached = this.get<T>(key)
    if (cached !== undefined) return cached
    const pending: Load = {key, stale: false}
    this.loads.add(pending)
    try {
      const value = await load()
      if (!pending.stale) this.set(key, value)
      return value
    } finally {
      this.loads.delete(pending)
    }
  }

  /** Drops every key that starts with `prefix` (e.g. `story:<id>`), and the loads of such keys under way. */
  invalidate(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key)
    for (const pending of this.loads) if (pending.key.startsWith(prefix)) pending.stale = true
  }

  /** Drops every entry (the app is closing). */
  clear(): void {
    this.entries.clear()
    for (const pending of this.loads) pending.stale = true
  }

  get size(): number {
    return this.entries.size
  }
}
