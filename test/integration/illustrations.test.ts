// The pictures as the web app gets them through the API: a character's figure is the same in the
// wizard's preview, its portrait, every page the illustration job draws and a regenerated page;
// each page's scene follows that page's words; the PDF export takes the pictures in.
import {afterEach, describe, expect, it} from 'vitest'
import {createTestApp, LUNA, PIP, type TestApp} from '../helpers/api.js'

let api: TestApp | undefined
afterEach(async () => {
  await api?.close()
  api = undefined
})

/** The `<g data-character=…>` group of the first figure of this species, with the id it names replaced by `ID`. */
function figure(svg: string, species: string): string {
  const start = svg.search(new RegExp(`<g data-character="[^"]*" data-species="${species}"`))
  if (start < 0) throw new Error(`no ${species} figure in the SVG`)
  let depth = 0
  for (const tag of svg.slice(start).matchAll(/<g[\s>]|<\/g>/g)) {
    depth += tag[0] === '</g>' ? -1 : 1
    if (depth === 0)
      return svg
        .slice(start, start + (tag.index as number) + 4)
        .replace(/data-character="[^"]*"/, 'data-character="ID"')
  }
  throw new Error(`the ${species} figure is not closed`)
}

const sceneOf = (svg: string) => {
  const root = /^<svg [^>]*>/.exec(svg)?.[0] ?? ''
  return {setting: / data-setting="([^"]*)"/.exec(root)?.[1], time: / data-time="([^"]*)"/.exec(root)?.[1]}
}

/** Polls `read` until `done` says so, failing with `what` when the deadline passes first. */
async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  deadlineMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + deadlineMs
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}; last seen: ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

const PAGES = [
  {text: 'At night Luna and Pip walked along the beach by the sea under the moon.', setting: 'sea', time: 'night'},
  {text: 'In the morning they went into the forest among the tall trees.', setting: 'forest', time: 'day'},
  {text: 'Am Abend kamen sie zum Schloss des Königs.', setting: 'castle', time: 'evening'},
  {text: 'Zu Hause in der Küche backten sie einen Kuchen.', setting: 'indoors', time: 'day'},
  {text: 'Snow fell all winter long.', setting: 'snow', time: 'day'},
]

describe('pictures through the API', () => {
  it("draws each character the same in its preview, its portrait and on every page, in each page's own scene", async () => {
    api = await createTestApp()
    const {headers} = await api.register('illustrator')
    const inject = api.app.inject.bind(api.app)

    // The wizard's preview, before the character exists, shows the figure it will have
    const preview = await inject({
      method: 'POST',
      url: '/api/characters/preview',
      headers,
      payload: {name: LUNA.name, traits: LUNA.traits},
    })
    expect(preview.statusCode).toBe(200)
    const luna = (await inject({method: 'POST', url: '/api/characters', headers, payload: LUNA})).json()
    const pip = (await inject({method: 'POST', url: '/api/characters', headers, payload: PIP})).json()
    const portrait = (await inject({method: 'GET', url: luna.portraitUrl, headers})).body
    const lunaFigure = figure(portrait, 'fox')
    expect(figure(preview.body, 'fox')).toBe(lunaFigure)
    const pipFigure = figure((await inject({method: 'GET', url: pip.portraitUrl, headers})).body, 'robot')

    // A story whose pages happen in different places at different times
    const story = (
      await inject({
        method: 'POST',
        url: '/api/stories',
        headers,
        payload: {title: 'Luna and Pip', theme: 'friendship', targetAge: '3-5', characterIds: [luna.id, pip.id]},
      })
    ).json()
    for (const [position, {text}] of PAGES.entries()) {
      const added = await inject({
        method: 'POST',
        url: `/api/stories/${story.id}/pages`,
        headers,
        payload: {text, position},
      })
      expect(added.statusCode).toBe(201)
    }
    const job = (await inject({method: 'POST', url: `/api/stories/${story.id}/illustrations`, headers})).json()
    await waitFor(
      'the illustration job to finish',
      async () => (await inject({method: 'GET', url: `/api/jobs/${job.id}`, headers})).json(),
      (state) => state.status === 'succeeded' || state.status === 'failed',
    )
    const pages = (await inject({method: 'GET', url: `/api/stories/${story.id}`, headers})).json().pages
    expect(pages).toHaveLength(PAGES.length)

    for (const [index, expected] of PAGES.entries()) {
      const picture = await inject({method: 'GET', url: pages[index].illustrationUrl, headers})
      expect(picture.headers['content-type']).toContain('image/svg+xml')
      expect(sceneOf(picture.body), expected.text).toEqual({setting: expected.setting, time: expected.time})
      expect(figure(picture.body, 'fox'), expected.text).toBe(lunaFigure)
      expect(figure(picture.body, 'robot'), expected.text).toBe(pipFigure)
    }

    // Regenerating a page draws a new picture: same scene, same characters
    const regenerated = await inject({
      method: 'POST',
      url: `/api/stories/${story.id}/pages/${pages[0].id}/regenerate`,
      headers,
    })
    expect(regenerated.statusCode).toBe(200)
    const again = (
      await inject({method: 'GET', url: `/api/illustrations/${regenerated.json().illustrationId}`, headers})
    ).body
    expect(sceneOf(again)).toEqual({setting: 'sea', time: 'night'})
    expect(figure(again, 'fox')).toBe(lunaFigure)

    // And the PDF takes every page in
    const pdf = await inject({method: 'GET', url: `/api/stories/${story.id}/export.pdf`, headers})
    expect(pdf.statusCode).toBe(200)
    expect(pdf.rawPayload.toString('latin1').match(/\/Type \/Page\b/g)).toHaveLength(1 + PAGES.length)
  })
})
