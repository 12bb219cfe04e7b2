// 500 characters: all are loaded (the API pages by 100), only a window of them is in the DOM.
import {screen} from '@testing-library/react'
import {describe, expect, it} from 'vitest'
import {fakeApi, json} from './fake-api'
import {renderRoute, signIn} from './render'

const CHARACTERS = Array.from({length: 500}, (_, index) => ({
  id: `c${index}`,
  name: `Character ${index + 1}`,
  description: '',
  traits: {ageGroup: 'child', species: 'fox'},
  portraitUrl: `/api/characters/c${index}/portrait.svg?v=1`,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
}))

describe('characters list', () => {
  it('loads every page of 500 characters and renders only the rows in view', async () => {
    signIn()
    const {requests} = fakeApi({
      'GET /api/characters': ({query}) => {
        const offset = Number(query.get('offset') ?? 0)
        return json(200, {items: CHARACTERS.slice(offset, offset + Number(query.get('limit'))), total: 500})
      },
    })
    renderRoute('/characters')
    expect(await screen.findByText('500 characters')).toBeTruthy()
    expect(requests.filter((request) => request.path === '/api/characters')).toHaveLength(5)
    const rows = screen.getByRole('list', {name: 'Your characters'}).querySelectorAll('li')
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.length).toBeLessThan(20)
    expect(rows[0]?.getAttribute('aria-setsize')).toBe('500')
    expect(screen.getByText('Character 1')).toBeTruthy()
    expect(screen.queryByText('Character 500')).toBeNull()
  })
})
