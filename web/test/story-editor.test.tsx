// The story editor's page order: the keyboard (Alt+Arrow, Move buttons) moves a page, the API is
// told the new order, focus stays with the moved page, and a refused order is put back.
import {screen, waitFor} from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import {beforeEach, describe, expect, it} from 'vitest'
import {envelope, fakeApi, json, type FakeRequest} from './fake-api'
import {renderRoute, signIn} from './render'

const STORY_ID = '00000000-0000-4000-8000-000000000001'
const page = (n: number, text: string) => ({
  id: `00000000-0000-4000-8000-00000000010${n}`,
  position: n - 1,
  text,
  illustrationId: null,
  illustrationUrl: null,
  updatedAt: '2026-01-01T00:00:00.000Z',
})
const PAGES = [page(1, 'Once upon a time'), page(2, 'They went to sea'), page(3, 'And home again')]
const STORY = {
  id: STORY_ID,
  title: 'The sea',
  theme: 'the sea',
  targetAge: '3-5',
  status: 'ready',
  characterIds: [],
  pageCount: 3,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  pages: PAGES,
}

function fakeStoryApi(order: (request: FakeRequest) => Response) {
  return fakeApi({
    'GET /api/stories/:id': () => json(200, STORY),
    'PUT /api/stories/:id/pages/order': order,
  })
}

const acceptOrder = (request: FakeRequest) => {
  const ids = (request.body as {pageIds: string[]}).pageIds
  return json(200, {pages: ids.map((id, position) => ({...PAGES.find((item) => item.id === id), position}))})
}

/** The page texts in the order shown. */
const shownOrder = () =>
  screen.getAllByRole('textbox', {name: /^Text of page \d+$/}).map((box) => (box as HTMLTextAreaElement).value)
const cardOf = (element: Element | null) => element?.closest('[data-page-id]')?.getAttribute('data-page-id')

describe('story editor reorder', () => {
  beforeEach(signIn)

  it('moves a page down with Alt+ArrowDown, saves the order and keeps focus on the page', async () => {
    const {requests} = fakeStoryApi(acceptOrder)
    const user = userEvent.setup()
    renderRoute(`/stories/${STORY_ID}`)
    await user.click(await screen.findByRole('button', {name: 'Move down (page 1)'}))
    expect(shownOrder()).toEqual(['They went to sea', 'Once upon a time', 'And home again'])

    // Focus followed the page to its new place: Alt+ArrowDown moves it on again.
    expect(cardOf(document.activeElement)).toBe(PAGES[0]?.id)
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}')
    expect(shownOrder()).toEqual(['They went to sea', 'And home again', 'Once upon a time'])
    expect(cardOf(document.activeElement)).toBe(PAGES[0]?.id)
    expect(screen.getByText('Page 2 moved to position 3 of 3.')).toBeTruthy()

    await waitFor(() => expect(requests.filter((request) => request.method === 'PUT')).toHaveLength(2))
    const last = requests.filter((request) => request.method === 'PUT').at(-1)
    expect(last?.body).toEqual({pageIds: [PAGES[1]?.id, PAGES[2]?.id, PAGES[0]?.id]})
  })

  it('moves a page up with Alt+ArrowUp, but not while typing in its text', async () => {
    fakeStoryApi(acceptOrder)
    const user = userEvent.setup()
    renderRoute(`/stories/${STORY_ID}`)
    await user.click(await screen.findByRole('textbox', {name: 'Text of page 3'}))
    await user.keyboard('{Alt>}{ArrowUp}{/Alt}')
    expect(shownOrder()).toEqual(['Once upon a time', 'They went to sea', 'And home again'])

    await user.click(screen.getByRole('button', {name: 'Move up (page 3)'}))
    expect(shownOrder()).toEqual(['Once upon a time', 'And home again', 'They went to sea'])
    await user.keyboard('{Alt>}{ArrowUp}{/Alt}')
    expect(shownOrder()).toEqual(['And home again', 'Once upon a time', 'They went to sea'])
    // At the top, "Move up" is disabled and focus stays on the page.
    expect(cardOf(document.activeElement)).toBe(PAGES[2]?.id)
  })

  it('puts the order back and says why when the API refuses it', async () => {
    fakeStoryApi(() => envelope(409, 'CONFLICT', 'The story changed meanwhile.'))
    const user = userEvent.setup()
    renderRoute(`/stories/${STORY_ID}`)
    await user.click(await screen.findByRole('button', {name: 'Move up (page 2)'}))
    expect(await screen.findByText('The new order was not saved: The story changed meanwhile.')).toBeTruthy()
    expect(shownOrder()).toEqual(['Once upon a time', 'They went to sea', 'And home again'])
  })
})
