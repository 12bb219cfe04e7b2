// The characters slice: the signed-in user's characters and the trait catalog.
import {create} from 'zustand'
import {api, call, type Character} from '../api/client'
import {describeError} from '../api/errors'
import type {Loadable} from './async'

export interface TraitOption {
  id: string
  label: string
}
export interface TraitCategory {
  id: string
  label: string
  kind: 'one' | 'many'
  max?: number
  required: boolean
  options: TraitOption[]
}

/** The API pages lists by at most 100. */
const PAGE_SIZE = 100

export interface CharactersState extends Loadable {
  items: Character[]
  total: number
  catalog: TraitCategory[] | null
  catalogError: string | null
  load(): Promise<void>
  loadCatalog(): Promise<void>
  added(character: Character): void
  reset(): void
}

const EMPTY = {items: [], total: 0, status: 'idle', error: null} as const

export const useCharacters = create<CharactersState>()((set, get) => ({
  ...EMPTY,
  items: [],
  catalog: null,
  catalogError: null,
  async load() {
    set({status: 'loading', error: null})
    try {
      const items: Character[] = []
      let total = Infinity
      while (items.length < total) {
        const page = await call(() =>
          api.GET('/api/characters', {params: {query: {limit: PAGE_SIZE, offset: items.length}}}),
        )
        items.push(...page.items)
        total = page.total
        if (page.items.length === 0) break
      }
      set({items, total: items.length, status: 'ready'})
    } catch (error) {
      set({status: 'error', error: describeError(error)})
    }
  },
  async loadCatalog() {
    if (get().catalog) return
    set({catalogError: null})
    try {
      const body = await call(() => api.GET('/api/catalog/traits'))
      set({catalog: body.categories as TraitCategory[]})
    } catch (error) {
      set({catalogError: describeError(error)})
    }
  },
  added: (character) => set(({items, total}) => ({items: [character, ...items], total: total + 1})),
  reset: () => set({...EMPTY, items: []}),
}))
