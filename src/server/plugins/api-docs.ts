// The interactive API reference at /docs: Swagger UI over the same document as /openapi.json, with
// the schemas and "try it out". Its scripts and styles come from the installed package, so the page
// works offline, and it loads nothing from another origin (no validator badge, no CDN).
import type {FastifyInstance, FastifyReply, FastifyRequest} from 'fastify'
import swaggerUi from '@fastify/swagger-ui'
import {documentHeaders} from './security-headers.js'

export const DOCS_PREFIX = '/docs'

export async function registerApiDocs(app: FastifyInstance): Promise<void> {
  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    // The page and its script run in the browser: they get the document set of security headers.
    uiHooks: {
      onRequest: (_request: FastifyRequest, reply: FastifyReply, done: () => void) => {
        documentHeaders(reply)
        done()
      },
    },
    validatorUrl: false,
    uiConfig: {
      deepLinking: true,
      // Try-it keeps the token between reloads, so a reader logs in once.
      persistAuthorization: true,
      displayRequestDuration: true,
      tryItOutEnabled: false,
    },
    theme: {title: 'Storybook API'},
  })
}
