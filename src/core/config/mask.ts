// Hides secrets in anything the toolkit shows: secret variables whole, and passwords inside URLs.

export const MASK = '********'

export function maskValue(value: string, secret: boolean): string {
  if (secret) return MASK
  return maskUrlPassword(value)
}

/**
 * `postgres://user:pw@host/db` becomes `postgres://user:********@host/db`. The user info ends at
 * the last `@`, so a password holding `@` or `/` is hidden whole (at worst too much is hidden).
 */
export function maskUrlPassword(value: string): string {
  return maskUserInfo(value).replace(SECRET_QUERY_PARAMETER, (_match, head: string) => `${head}${MASK}`)
}

/** `?password=…`, `&sslpassword=…`, `&api_key=…` and the like. */
const SECRET_QUERY_PARAMETER = /([?&][\w.-]*(?:password|passwd|pwd|secret|token|key)=)[^&#\s]*/gi

function maskUserInfo(value: string): string {
  const match = /^([a-z][\w+.-]*:\/\/)(.*)$/is.exec(value)
  if (!match) return value
  const [, scheme, rest = ''] = match
  const at = rest.lastIndexOf('@')
  if (at === -1) return value
  const userInfo = rest.slice(0, at)
  const colon = userInfo.indexOf(':')
  if (colon === -1) return value
  return `${scheme}${userInfo.slice(0, colon)}:${MASK}${rest.slice(at)}`
}
