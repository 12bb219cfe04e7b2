// Which methods each path answers, gathered from the routes as they are registered: a known path
// asked with another method answers 405 with an allow header, not the 404 of an unknown path.
import type {RouteOptions} from 'fastify'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answered to this machine only (see local-client.ts). */
    localOnly?: boolean
  }
}

interface PathMethods {
  pattern: RegExp
  methods: Set<string>
  /** Answered to this machine only: others must not learn that the path exists. */
  localOnly: boolean
}

/** `/api/stories/:id/export.pdf` as a regular expression over a request path. */
function pathPattern(url: string): RegExp {
  const source = url
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/')
  return new RegExp(`^${source}/?$`)
}

export class RouteMethods {
  private readonly paths = new Map<string, PathMethods>()
  /** Methods every path answers (the CORS preflight route, OPTIONS *). */
  private readonly everywhere = new Set<string>()

  add(route: RouteOptions): void {
    const methods = [route.method].flat()
    if (route.url === '*' || route.url === '/*') {
      for (const method of methods) this.everywhere.add(method)
      return
    }
    let entry = this.paths.get(route.url)
    const localOnly = route.config?.localOnly === true
    if (!entry) this.paths.set(route.url, (entry = {pattern: pathPattern(route.url), methods: new Set(), localOnly}))
    for (const method of methods) entry.methods.add(method)
  }

  /** The methods a request path answers, sorted; empty when no route has the path (for this client). */
  allowed(url: string, client: {local: boolean}): string[] {
    const path = url.split('?')[0] ?? ''
    const found = new Set<string>()
    for (const entry of this.paths.values()) {
      if ((client.local || !entry.localOnly) && entry.pattern.test(path))
        for (const method of entry.methods) found.add(method)
    }
    if (found.size === 0) return []
    for (const method of this.everywhere) found.add(method)
    return [...found].sort()
  }
}
