// Generation: the http provider against a real local fake image service that fails, hangs and
// recovers; the built-in illustrator and story writer; and jobs left behind by a dead server.
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import {afterEach, describe, expect, it} from 'vitest'
import {StorybookError} from '../../src/core/errors.js'
import {drawIllustration} from '../../src/server/generation/builtin-illustrations.js'
import {BuiltinStoryTextProvider} from '../../src/server/generation/builtin-story-text.js'
import {HttpIllustrationProvider} from '../../src/server/generation/http-illustrations.js'
import {createJob} from '../../src/server/repositories/media.js'
import {createTestApp, LUNA, PIP} from '../helpers/api.js'

type Behaviour = 'fail' | 'hang' | 'garbage' | 'ok' | 'bad-request'

let server: Server | undefined
afterEach(async () => {
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined))
  server = undefined
})

/** A fake OpenAI-style image service on 127.0.0.1 that follows a script of behaviours. */
async function fakeImageService(
  script: Behaviour[],
): Promise<{url: string; calls: Array<{auth: string | undefined; body: unknown}>}> {
  const calls: Array<{auth: string | undefined; body: unknown}> = []
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let raw = ''
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()))
    request.on('end', () => {
      calls.push({auth: request.headers.authorization, body: JSON.parse(raw)})
      const behaviour = script[Math.min(calls.length - 1, script.length - 1)]
      if (behaviour === 'hang') return // never answers
      if (behaviour === 'fail') return response.writeHead(503).end('busy')
      if (behaviour === 'bad-request') return response.writeHead(400).end('{"error":"bad prompt"}')
      response.writeHead(200, {'content-type': 'application/json'})
      response.end(
        behaviour === 'garbage'
          ? '{"data":[]}'
          : JSON.stringify({data: [{b64_json: Buffer.from('PNGDATA').toString('base64')}]}),
      )
    })
  })
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  const address = server.address() as {port: number}
  return {url: `http://127.0.0.1:${address.port}/v1/images/generations`, calls}
}

const request = {
  kind: 'page' as const,
  characters: [LUNA],
  text: 'A night under the stars',
  seed: 's',
  width: 64,
  height: 64,
}
const noSleep = async () => {}

describe('the http illustration provider', () => {
  it('retries failures and timeouts with backoff, then succeeds', async () => {
    const service = await fakeImageService(['fail', 'hang', 'ok'])
    const provider = new HttpIllustrationProvider({
      url: service.url,
      apiKey: 'sk-test',
      timeoutMs: 200,
      retries: 2,
      sleep: noSleep,
    })
    const image = await provider.generate(request)
    expect(Buffer.from(image.content, 'base64').toString()).toBe('PNGDATA')
    expect(image.mimeType).toBe('image/png')
    expect(service.calls).toHaveLength(3)
    expect(service.calls[0]?.auth).toBe('Bearer sk-test')
    expect(service.calls[0]?.body).toMatchObject({
      n: 1,
      size: '64x64',
      response_format: 'b64_json',
      prompt: expect.stringContaining('Luna'),
    })
  })

  it('does not retry a request the service calls bad', async () => {
    const service = await fakeImageService(['bad-request'])
    const provider = new HttpIllustrationProvider({url: service.url, retries: 3, sleep: noSleep})
    await expect(provider.generate(request)).rejects.toThrow(/HTTP 400/)
    expect(service.calls).toHaveLength(1)
  })

  it('opens the circuit after repeated failures, refuses at once, and recovers after the cooldown', async () => {
    const service = await fakeImageService(['fail', 'fail', 'fail', 'fail', 'garbage', 'garbage', 'ok'])
    let now = 0
    const provider = new HttpIllustrationProvider({
      url: service.url,
      retries: 0,
      failureThreshold: 3,
      cooldownMs: 1000,
      clock: () => now,
      sleep: noSleep,
    })
    for (let attempt = 0; attempt < 3; attempt++)
      await expect(provider.generate(request)).rejects.toBeInstanceOf(StorybookError)
    expect(provider.circuit).toBe('open')
    const callsWhenOpened = service.calls.length
    const refused = await provider.generate(request).catch((error: StorybookError) => error)
    expect((refused as StorybookError).message).toContain('calls are paused')
    expect(service.calls.length).toBe(callsWhenOpened) // no request while open

    now = 1500 // cooldown over: one trial, which fails and reopens
    await expect(provider.generate(request)).rejects.toThrow()
    expect(provider.circuit).toBe('open')
    now = 3000
    await expect(provider.generate(request)).rejects.toThrow(/held no image/)
    now = 4500
    await expect(provider.generate(request)).rejects.toThrow()
    now = 6000
    const image = await provider.generate(request)
    expect(image.provider).toBe('http')
    expect(provider.circuit).toBe('closed')
  })

  it('gives up on a hanging service within the timeout', async () => {
    const service = await fakeImageService(['hang'])
    const provider = new HttpIllustrationProvider({url: service.url, timeoutMs: 100, retries: 1, sleep: noSleep})
    const started = Date.now()
    await expect(provider.generate(request)).rejects.toThrow(/no answer within 100 ms/)
    expect(Date.now() - started).toBeLessThan(2000)
    expect(service.calls).toHaveLength(2)
  })
})

describe('the built-in illustrator', () => {
  it('draws recognisably different characters, the same way every time', () => {
    const fox = drawIllustration({...request, characters: [LUNA], width: 400, height: 300})
    const robot = drawIllustration({...request, characters: [PIP], width: 400, height: 300})
    expect(fox).toBe(drawIllustration({...request, characters: [LUNA], width: 400, height: 300}))
    expect(fox).not.toBe(robot)
    expect(fox).toContain('data-species="fox"')
    expect(robot).toContain('data-species="robot"')
    expect(fox).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    // Scenes follow the text: night has a moon and stars, the sea has waves
    expect(drawIllustration({...request, text: 'By the sea the waves rolled in'})).toContain('#2f7fc1')
    expect(drawIllustration({...request, text: 'Goodnight moon'})).toContain('#0d1b3d')
  })

  it('escapes names, so a character name cannot inject markup', () => {
    const svg = drawIllustration({...request, characters: [{name: '<script>x</script>', traits: LUNA.traits}]})
    expect(svg).not.toContain('<script>')
  })
})

describe('the built-in story writer', () => {
  it('writes the requested number of pages about the characters, deterministically', async () => {
    const writer = new BuiltinStoryTextProvider()
    const input = {title: 'T', theme: 'courage', targetAge: '3-5', characters: [LUNA, PIP], pageCount: 6, seed: 'x'}
    const pages = await writer.generate(input)
    expect(pages).toHaveLength(6)
    expect(pages[0]).toContain('Luna')
    expect(pages.join(' ')).toContain('Pip')
    expect(pages.join(' ')).toContain('courage')
    expect(await writer.generate(input)).toEqual(pages)
    expect(await writer.generate({...input, pageCount: 14})).toHaveLength(14)
  })
})

describe('generation jobs', () => {
  it('fails the jobs a crashed server left running, instead of leaving them stuck', async () => {
    let now = new Date('2026-01-01T10:00:00Z')
    const api = await createTestApp({clock: () => now})
    try {
      const {headers, userId} = await api.register('jobs')
      const story = (
        await api.app.inject({
          method: 'POST',
          url: '/api/stories',
          headers,
          payload: {title: 'Stuck', generatePages: 2},
        })
      ).json()
      const job = await createJob(
        api.database.db,
        {userId, storyId: story.id, kind: 'story-illustrations', total: 2},
        now,
      )
      await api.database.db.updateTable('generation_jobs').set({status: 'running'}).where('id', '=', job.id).execute()
      await api.database.db.updateTable('stories').set({status: 'generating'}).where('id', '=', story.id).execute()
      expect(await api.context.jobs.sweep()).toBe(0) // heartbeat still fresh
      now = new Date('2026-01-01T10:05:00Z')
      expect(await api.context.jobs.sweep()).toBe(1)
      const swept = (await api.app.inject({method: 'GET', url: `/api/jobs/${job.id}`, headers})).json()
      expect(swept).toMatchObject({status: 'failed', error: expect.stringContaining('start it again')})
      expect((await api.app.inject({method: 'GET', url: `/api/stories/${story.id}`, headers})).json().status).toBe(
        'draft',
      )
    } finally {
      await api.close()
    }
  })

  it('never sweeps a job that this server is still running, however slow its pictures are', async () => {
    let now = new Date('2026-01-01T10:00:00Z')
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    const slow = {
      name: 'slow',
      generate: async (input: Parameters<typeof drawIllustration>[0]) => {
        await gate
        return {
          provider: 'slow',
          mimeType: 'image/svg+xml',
          content: drawIllustration(input),
          width: input.width,
          height: input.height,
          prompt: '',
        }
      },
    }
    const api = await createTestApp({clock: () => now, illustrations: slow})
    try {
      const {headers} = await api.register('slow')
      const story = (
        await api.app.inject({method: 'POST', url: '/api/stories', headers, payload: {title: 'Slow', generatePages: 2}})
      ).json()
      const job = (
        await api.app.inject({method: 'POST', url: `/api/stories/${story.id}/illustrations`, headers})
      ).json()
      now = new Date('2026-01-01T11:00:00Z') // an hour on one picture
      expect(await api.context.jobs.sweep()).toBe(0)
      release()
      let state = job
      for (let poll = 0; poll < 100 && state.status !== 'succeeded'; poll++) {
        await new Promise((resolve) => setTimeout(resolve, 10))
        state = (await api.app.inject({method: 'GET', url: `/api/jobs/${job.id}`, headers})).json()
      }
      expect(state).toMatchObject({status: 'succeeded', error: null})
    } finally {
      release()
      await api.close()
    }
  })

  it('reports a provider failure on the job and leaves the story a draft', async () => {
    const failing = {
      name: 'failing',
      generate: async () =>
        Promise.reject(new StorybookError('EXTERNAL_FAILED', 'The image service failed: HTTP 503.')),
    }
    const api = await createTestApp({illustrations: failing})
    try {
      const {headers} = await api.register('failing')
      const story = (
        await api.app.inject({
          method: 'POST',
          url: '/api/stories',
          headers,
          payload: {title: 'Doomed', generatePages: 2},
        })
      ).json()
      const job = (
        await api.app.inject({method: 'POST', url: `/api/stories/${story.id}/illustrations`, headers})
      ).json()
      let state = job
      for (let poll = 0; poll < 100 && state.status !== 'failed'; poll++) {
        await new Promise((resolve) => setTimeout(resolve, 10))
        state = (await api.app.inject({method: 'GET', url: `/api/jobs/${job.id}`, headers})).json()
      }
      expect(state).toMatchObject({status: 'failed', error: expect.stringContaining('HTTP 503')})
      expect((await api.app.inject({method: 'GET', url: `/api/stories/${story.id}`, headers})).json().status).toBe(
        'draft',
      )
      const regenerate = await api.app.inject({
        method: 'POST',
        url: `/api/stories/${story.id}/pages/${story.pages[0].id}/regenerate`,
        headers,
      })
      expect(regenerate.statusCode).toBe(502)
      expect(regenerate.json().error.code).toBe('EXTERNAL_FAILED')
    } finally {
      await api.close()
    }
  })
})
