// The API client's error mapping, at the network boundary: a failed fetch or a proxy's bare 5xx
// is "API down"; a 401 to a signed-in request ends the session and sends the user to log in,
// keeping what they typed; other errors carry the API's own message.
import {screen, waitFor} from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import {describe, expect, it, vi} from 'vitest'
import {api, call} from '../src/api/client'
import {API_DOWN_MESSAGE, ApiError, SESSION_EXPIRED_MESSAGE} from '../src/api/errors'
import {useCharacterDraft} from '../src/store/character-draft'
import {useSession} from '../src/store/session'
import {CATALOG, envelope, fakeApi, json, svg, TOKEN, USER} from './fake-api'
import {renderRoute, signIn} from './render'

const failure = (request: Promise<unknown>) =>
  request.then(
    () => expect.fail('the call succeeded'),
    (error: unknown) => error as ApiError,
  )

describe('API client errors', () => {
  it('turns a network error into "API down"', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('fetch failed')))
    const error = await failure(call(() => api.GET('/api/catalog/traits')))
    expect(error).toBeInstanceOf(ApiError)
    expect([error.problem, error.message]).toEqual(['api-down', API_DOWN_MESSAGE])
  })

  it('turns a 5xx without the API envelope (a proxy that cannot reach the API) into "API down"', async () => {
    fakeApi({'GET /api/catalog/traits': () => new Response('', {status: 500})})
    expect((await failure(call(() => api.GET('/api/catalog/traits')))).problem).toBe('api-down')
    fakeApi({'GET /api/catalog/traits': () => new Response('Bad Gateway', {status: 502})})
    expect((await failure(call(() => api.GET('/api/catalog/traits')))).problem).toBe('api-down')
  })

  it("keeps the API's own message for its errors", async () => {
    fakeApi({'POST /api/auth/register': () => envelope(409, 'CONFLICT', 'An account with this email exists already.')})
    const body = {email: 'a@example.test', password: 'long enough', displayName: 'A'}
    const error = await failure(call(() => api.POST('/api/auth/register', {body})))
    expect([error.problem, error.status, error.message]).toEqual([
      'conflict',
      409,
      'An account with this email exists already.',
    ])
  })

  it('ends the session on a 401 to a signed-in request', async () => {
    signIn()
    const {requests} = fakeApi({'GET /api/characters': () => envelope(401, 'UNAUTHORIZED', 'Log in first.')})
    const error = await failure(call(() => api.GET('/api/characters')))
    expect([error.problem, error.message]).toEqual(['session-expired', SESSION_EXPIRED_MESSAGE])
    expect(requests[0]?.authorization).toBe(`Bearer ${TOKEN}`)
    expect(useSession.getState()).toMatchObject({token: null, expired: true})
  })

  it('treats a 401 to a request without a session (a wrong password) as that, not an expiry', async () => {
    fakeApi({'POST /api/auth/login': () => envelope(401, 'UNAUTHORIZED', 'The email or the password is wrong.')})
    const error = await failure(
      call(() => api.POST('/api/auth/login', {body: {email: 'a@example.test', password: 'x'}})),
    )
    expect([error.problem, error.message]).toEqual(['unauthorized', 'The email or the password is wrong.'])
    expect(useSession.getState().expired).toBe(false)
  })
})

describe('errors on screen', () => {
  it('shows "API down" on the login form and keeps what was typed', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('fetch failed')))
    const user = userEvent.setup()
    renderRoute('/login')
    await user.type(await screen.findByLabelText('Email'), 'pip@example.test')
    await user.type(screen.getByLabelText('Password'), 'correct horse')
    await user.click(screen.getByRole('button', {name: 'Log in'}))
    expect((await screen.findByRole('alert')).textContent).toContain(API_DOWN_MESSAGE)
    expect((screen.getByLabelText('Email') as HTMLInputElement).value).toBe('pip@example.test')
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('correct horse')
  })

  it('sends an expired session to log in, then back to the wizard with its input kept', async () => {
    signIn()
    let sessionValid = false
    const {requests} = fakeApi({
      'GET /api/catalog/traits': () => json(200, CATALOG),
      'POST /api/characters/preview': () => (sessionValid ? svg() : envelope(401, 'UNAUTHORIZED', 'Log in first.')),
      'POST /api/characters': () => envelope(401, 'UNAUTHORIZED', 'Log in first.'),
      'POST /api/auth/login': () => {
        sessionValid = true
        return json(200, {user: USER, token: 'new-token-0123456789abcdef', expiresAt: '2027-01-01T00:00:00.000Z'})
      },
    })
    useCharacterDraft.setState({step: 3, name: 'Pip', traits: {ageGroup: 'child', species: 'fox'}})
    const user = userEvent.setup()
    const {router} = renderRoute('/characters/new')
    await user.click(await screen.findByRole('button', {name: 'Save character'}))

    expect(await screen.findByText(SESSION_EXPIRED_MESSAGE)).toBeTruthy()
    expect(router.state.location.pathname).toBe('/login')
    expect((screen.getByLabelText('Email') as HTMLInputElement).value).toBe(USER.email)
    await user.type(screen.getByLabelText('Password'), 'correct horse')
    await user.click(screen.getByRole('button', {name: 'Log in'}))

    await waitFor(() => expect(router.state.location.pathname).toBe('/characters/new'))
    expect(await screen.findByText('Step 4 of 4')).toBeTruthy()
    expect(screen.getByText('Pip')).toBeTruthy()
    // The new session is used from now on (the live preview asks again with it).
    await waitFor(() =>
      expect(
        requests.some(
          (request) =>
            request.path === '/api/characters/preview' && request.authorization === 'Bearer new-token-0123456789abcdef',
        ),
      ).toBe(true),
    )
  })
})
