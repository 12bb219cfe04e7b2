// Every web test starts signed out, with empty storage and fresh stores, and a fetch that fails
// loudly unless the test fakes the API (test/fake-api.ts).
import {cleanup, configure} from '@testing-library/react'
import {afterEach, beforeEach, vi} from 'vitest'
import {useCharacterDraft} from '../src/store/character-draft'
import {useCharacters} from '../src/store/characters'
import {useSession} from '../src/store/session'
import {useSettings} from '../src/store/settings'
import {useStoryDraft} from '../src/store/story-draft'
import {useStories} from '../src/store/stories'

// A screen is a lazy route: its first import in a worker is transformed on the spot, which on a
// busy machine takes longer than Testing Library's default second.
configure({asyncUtilTimeout: 5_000})

const STORES = [useSession, useSettings, useCharacters, useStories, useCharacterDraft, useStoryDraft] as const

beforeEach(() => {
  localStorage.clear()
  sessionStorage.clear()
  for (const store of STORES) (store.setState as (state: unknown, replace: true) => void)(store.getInitialState(), true)
  vi.stubGlobal('fetch', () => Promise.reject(new Error('this test did not fake the API')))
})

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})
