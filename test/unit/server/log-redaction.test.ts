import {describe, expect, it} from 'vitest'
import {redactUrl} from '../../../src/server/plugins/log-redaction.js'

describe('redacting logged URLs', () => {
  it('replaces the values of secret-named parameters and leaves the rest as it came', () => {
    expect(redactUrl('/api/stories')).toBe('/api/stories')
    expect(redactUrl('/a?q=fox%20tail&limit=5')).toBe('/a?q=fox%20tail&limit=5')
    expect(redactUrl('/a?TOKEN=x&Api-Key=y&client_secret=z&sessionId=s&refresh_token=r')).toBe(
      '/a?TOKEN=[redacted]&Api-Key=[redacted]&client_secret=[redacted]&sessionId=[redacted]&refresh_token=[redacted]',
    )
    expect(redactUrl('/a?%74oken=x&password%5B%5D=y&token')).toBe(
      '/a?%74oken=[redacted]&password%5B%5D=[redacted]&token',
    )
    expect(redactUrl('/a?%E0%A4%A=1&secret=%ZZ')).toBe('/a?%E0%A4%A=1&secret=[redacted]')
  })
})
