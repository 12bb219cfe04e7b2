// Generated from the API's /openapi.json by `npm run gen:api`: do not edit by hand.
export interface paths {
  '/health': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              /** @enum {string} */
              status: 'ok'
              uptimeMs: number
            }
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/ready': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              ready: boolean
              checks: {
                [key: string]: string
              }
            }
          }
        }
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              ready: boolean
              checks: {
                [key: string]: string
              }
            }
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/metrics': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Prometheus metrics */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'text/plain': string
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/api/monitoring/system': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              uptimeMs: number
              pid: number
              node: string
              cpu: {
                cores: number
                loadAverage: number[]
                process: {
                  user: number
                  system: number
                }
              }
              memory: {
                rssBytes: number
                heapUsedBytes: number
                heapTotalBytes: number
                systemFreeBytes: number
                systemTotalBytes: number
              }
              eventLoop: {
                meanMs: number | null
                p99Ms: number | null
                maxMs: number | null
              }
              cache: {
                entries: number
              }
            }
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/api/monitoring/routes': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              routes: {
                route: string
                count: number
                errorRate: number
                p50: number
                p95: number
                p99: number
              }[]
            }
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/api/monitoring/database': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              queries: number
              errors: number
              totalMs: number
              slowest: {
                sql: string
                count: number
                errors: number
                meanMs: number
                maxMs: number
              }[]
            }
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/api/monitoring/client': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              batches: number
              errors: {
                count: number
                recent: {
                  message: string
                  page: string
                  time: number
                }[]
              }
              rejectedRequests: {
                count: number
                byStatus: {
                  [key: string]: number
                }
              }
              vitals: {
                [key: string]: {
                  count: number
                  p75: number
                }
              }
              interactions: {
                [key: string]: {
                  attempts: number
                  successes: number
                  successRate: number
                }
              }
            }
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/api/monitoring/logs': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get: {
      parameters: {
        query?: {
          level?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'
          q?: string
          limit?: number
        }
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              lines: ({
                time: number
                level: number
                msg?: string
              } & {
                [key: string]: unknown
              })[]
            }
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/api/auth/register': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            /** Format: email */
            email: string
            password: string
            displayName: string
          }
        }
      }
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              user: components['schemas']['User']
              token: string
              expiresAt: string
            }
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/api/auth/login': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            /** Format: email */
            email: string
            password: string
          }
        }
      }
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              user: components['schemas']['User']
              token: string
              expiresAt: string
            }
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/api/auth/logout': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown
          }
          content?: never
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/api/auth/me': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              user: components['schemas']['User']
            }
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/api/catalog/traits': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              categories: {
                id: string
                label: string
                kind: 'one' | 'many'
                max?: number
                required: boolean
                options: {
                  id: string
                  label: string
                }[]
              }[]
            }
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/api/characters': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get: {
      parameters: {
        query?: {
          limit?: number
          offset?: number
          q?: string
        }
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              items: components['schemas']['Character'][]
              total: number
            }
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    put?: never
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            name: string
            /** @default  */
            description?: string
            /** @description Values from GET /api/catalog/traits */
            traits: {
              /**
               * @description Age group
               * @enum {string}
               */
              ageGroup: 'baby' | 'child' | 'teen' | 'adult' | 'elder'
              /**
               * @description Species
               * @enum {string}
               */
              species: 'human' | 'fox' | 'cat' | 'dog' | 'bear' | 'rabbit' | 'owl' | 'dragon' | 'robot'
              /**
               * @description Hair or fur colour
               * @enum {string}
               */
              hair?: 'black' | 'brown' | 'blonde' | 'red' | 'orange' | 'white' | 'grey' | 'blue' | 'none'
              /**
               * @description Clothing
               * @enum {string}
               */
              clothing?: 'tshirt' | 'dress' | 'scarf' | 'cape' | 'overalls' | 'raincoat' | 'pyjamas'
              /** @description Personality: one value or a list of distinct values */
              personality?:
                | ('brave' | 'curious' | 'kind' | 'funny' | 'shy' | 'clever' | 'cheeky' | 'gentle')
                | ('brave' | 'curious' | 'kind' | 'funny' | 'shy' | 'clever' | 'cheeky' | 'gentle')[]
              /** @description Favourite things: one value or a list of distinct values */
              favouriteThings?:
                | ('stars' | 'books' | 'music' | 'gears' | 'flowers' | 'cake' | 'the sea' | 'trains')
                | ('stars' | 'books' | 'music' | 'gears' | 'flowers' | 'cake' | 'the sea' | 'trains')[]
            }
          }
        }
      }
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Character']
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/api/characters/preview': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            /** @default  */
            name?: string
            /** @description Values from GET /api/catalog/traits */
            traits: {
              /**
               * @description Age group
               * @enum {string}
               */
              ageGroup: 'baby' | 'child' | 'teen' | 'adult' | 'elder'
              /**
               * @description Species
               * @enum {string}
               */
              species: 'human' | 'fox' | 'cat' | 'dog' | 'bear' | 'rabbit' | 'owl' | 'dragon' | 'robot'
              /**
               * @description Hair or fur colour
               * @enum {string}
               */
              hair?: 'black' | 'brown' | 'blonde' | 'red' | 'orange' | 'white' | 'grey' | 'blue' | 'none'
              /**
               * @description Clothing
               * @enum {string}
               */
              clothing?: 'tshirt' | 'dress' | 'scarf' | 'cape' | 'overalls' | 'raincoat' | 'pyjamas'
              /** @description Personality: one value or a list of distinct values */
              personality?:
                | ('brave' | 'curious' | 'kind' | 'funny' | 'shy' | 'clever' | 'cheeky' | 'gentle')
                | ('brave' | 'curious' | 'kind' | 'funny' | 'shy' | 'clever' | 'cheeky' | 'gentle')[]
              /** @description Favourite things: one value or a list of distinct values */
              favouriteThings?:
                | ('stars' | 'books' | 'music' | 'gears' | 'flowers' | 'cake' | 'the sea' | 'trains')
                | ('stars' | 'books' | 'music' | 'gears' | 'flowers' | 'cake' | 'the sea' | 'trains')[]
            }
          }
        }
      }
      responses: {
        /** @description The portrait the traits would give */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'image/svg+xml': string
            'image/png': string
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/api/characters/{id}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Character']
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    put?: never
    post?: never
    delete: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown
          }
          content?: never
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    options?: never
    head?: never
    patch: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            name?: string
            description?: string
            /** @description Values from GET /api/catalog/traits */
            traits?: {
              /**
               * @description Age group
               * @enum {string}
               */
              ageGroup: 'baby' | 'child' | 'teen' | 'adult' | 'elder'
              /**
               * @description Species
               * @enum {string}
               */
              species: 'human' | 'fox' | 'cat' | 'dog' | 'bear' | 'rabbit' | 'owl' | 'dragon' | 'robot'
              /**
               * @description Hair or fur colour
               * @enum {string}
               */
              hair?: 'black' | 'brown' | 'blonde' | 'red' | 'orange' | 'white' | 'grey' | 'blue' | 'none'
              /**
               * @description Clothing
               * @enum {string}
               */
              clothing?: 'tshirt' | 'dress' | 'scarf' | 'cape' | 'overalls' | 'raincoat' | 'pyjamas'
              /** @description Personality: one value or a list of distinct values */
              personality?:
                | ('brave' | 'curious' | 'kind' | 'funny' | 'shy' | 'clever' | 'cheeky' | 'gentle')
                | ('brave' | 'curious' | 'kind' | 'funny' | 'shy' | 'clever' | 'cheeky' | 'gentle')[]
              /** @description Favourite things: one value or a list of distinct values */
              favouriteThings?:
                | ('stars' | 'books' | 'music' | 'gears' | 'flowers' | 'cake' | 'the sea' | 'trains')
                | ('stars' | 'books' | 'music' | 'gears' | 'flowers' | 'cake' | 'the sea' | 'trains')[]
            }
          }
        }
      }
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Character']
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    trace?: never
  }
  '/api/characters/{id}/portrait.svg': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description The character's portrait */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'image/svg+xml': string
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/api/stories': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get: {
      parameters: {
        query?: {
          limit?: number
          offset?: number
          q?: string
          status?: 'draft' | 'generating' | 'ready'
        }
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              items: components['schemas']['Story'][]
              total: number
            }
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    put?: never
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            title: string
            /** @default  */
            theme?: string
            /** @default 3-5 */
            targetAge?: string
            /** @default [] */
            characterIds?: string[]
            /** @default 0 */
            generatePages?: number
          }
        }
      }
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Story'] & {
              pages: components['schemas']['Page'][]
            }
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/api/stories/{id}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Story'] & {
              pages: components['schemas']['Page'][]
            }
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    put?: never
    post?: never
    delete: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown
          }
          content?: never
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    options?: never
    head?: never
    patch: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            title?: string
            theme?: string
            targetAge?: string
            characterIds?: string[]
          }
        }
      }
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Story'] & {
              pages: components['schemas']['Page'][]
            }
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    trace?: never
  }
  '/api/stories/{id}/pages': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    post: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            text: string
            position?: number
          }
        }
      }
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Page']
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/api/stories/{id}/pages/{pageId}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    post?: never
    delete: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
          pageId: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown
          }
          content?: never
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    options?: never
    head?: never
    patch: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
          pageId: string
        }
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            text: string
          }
        }
      }
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Page']
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    trace?: never
  }
  '/api/stories/{id}/pages/order': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            pageIds: string[]
          }
        }
      }
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              pages: components['schemas']['Page'][]
            }
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/api/stories/{id}/pages/{pageId}/regenerate': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    post: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
          pageId: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Page']
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/api/stories/{id}/illustrations': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    post: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        202: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Job']
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/api/jobs/{id}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Job']
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/api/illustrations/{id}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description The illustration */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'image/svg+xml': string
            'image/png': string
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/api/stories/{id}/export.pdf': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description The story as a print-ready PDF */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/pdf': string
          }
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/api/client-metrics': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /** Report the studio's client-side metrics (errors, refused requests, web vitals, interactions) */
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            events: (
              | {
                  /** @enum {string} */
                  type: 'error'
                  message: string
                  page: string
                }
              | {
                  /** @enum {string} */
                  type: 'rejected-request'
                  status: number
                  path: string
                }
              | {
                  /** @enum {string} */
                  type: 'vital'
                  name: 'LCP' | 'INP' | 'CLS' | 'TTFB' | 'FCP'
                  value: number
                }
              | {
                  /** @enum {string} */
                  type: 'interaction'
                  name: 'signup' | 'login' | 'character-wizard' | 'story-wizard' | 'pdf-export'
                  ok: boolean
                }
            )[]
          }
        }
      }
      responses: {
        /** @description Recorded */
        204: {
          headers: {
            [name: string]: unknown
          }
          content?: never
        }
        /** @description VALIDATION_FAILED: the request breaks a rule of this operation (details.problems says which) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNAUTHORIZED: no valid session token, or a wrong e-mail or password */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description NOT_FOUND: no such resource for this user */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description METHOD_NOT_ALLOWED: the allow header lists the methods of this path */
        405: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description CONFLICT: the resource is not in a state that allows this */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description PAYLOAD_TOO_LARGE: the body is over 256 kB */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description UNSUPPORTED_MEDIA_TYPE: send the body as application/json */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description RATE_LIMITED: too many requests; retry-after says when to try again */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description INTERNAL: a bug; the server log has the details */
        500: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description EXTERNAL_FAILED: a text or image provider failed */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description DATABASE_UNAVAILABLE: the database cannot be reached */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
        /** @description TIMEOUT: the work (a PDF, a provider call) did not finish in time */
        504: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ErrorEnvelope']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
}
export type webhooks = Record<string, never>
export interface components {
  schemas: {
    ErrorEnvelope: {
      error: {
        code: string
        message: string
        reason?: string
        next?: string[]
        details: {
          [key: string]: unknown
        }
      }
    }
    User: {
      id: string
      email: string
      displayName: string
      createdAt: string
    }
    Character: {
      id: string
      name: string
      description: string
      /** @description Values from GET /api/catalog/traits */
      traits: {
        /**
         * @description Age group
         * @enum {string}
         */
        ageGroup: 'baby' | 'child' | 'teen' | 'adult' | 'elder'
        /**
         * @description Species
         * @enum {string}
         */
        species: 'human' | 'fox' | 'cat' | 'dog' | 'bear' | 'rabbit' | 'owl' | 'dragon' | 'robot'
        /**
         * @description Hair or fur colour
         * @enum {string}
         */
        hair?: 'black' | 'brown' | 'blonde' | 'red' | 'orange' | 'white' | 'grey' | 'blue' | 'none'
        /**
         * @description Clothing
         * @enum {string}
         */
        clothing?: 'tshirt' | 'dress' | 'scarf' | 'cape' | 'overalls' | 'raincoat' | 'pyjamas'
        /** @description Personality: one value or a list of distinct values */
        personality?:
          | ('brave' | 'curious' | 'kind' | 'funny' | 'shy' | 'clever' | 'cheeky' | 'gentle')
          | ('brave' | 'curious' | 'kind' | 'funny' | 'shy' | 'clever' | 'cheeky' | 'gentle')[]
        /** @description Favourite things: one value or a list of distinct values */
        favouriteThings?:
          | ('stars' | 'books' | 'music' | 'gears' | 'flowers' | 'cake' | 'the sea' | 'trains')
          | ('stars' | 'books' | 'music' | 'gears' | 'flowers' | 'cake' | 'the sea' | 'trains')[]
      }
      portraitUrl: string
      createdAt: string
      updatedAt: string
    }
    Story: {
      id: string
      title: string
      theme: string
      targetAge: string
      status: string
      characterIds: string[]
      pageCount: number
      createdAt: string
      updatedAt: string
    }
    Page: {
      id: string
      position: number
      text: string
      illustrationId: string | null
      illustrationUrl: string | null
      updatedAt: string
    }
    Job: {
      id: string
      storyId: string
      kind: string
      status: string
      progress: {
        done: number
        total: number
      }
      error: string | null
      createdAt: string
      finishedAt: string | null
    }
  }
  responses: never
  parameters: never
  requestBodies: never
  headers: never
  pathItems: never
}
export type $defs = Record<string, never>
export type operations = Record<string, never>
