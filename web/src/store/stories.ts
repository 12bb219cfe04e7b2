// The stories slice: the user's stories, and page text being edited but not saved yet (kept in
// sessionStorage, so a reload, an API outage or a new login loses nothing typed).
import {create} from 'zustand'
import {createJSONStorage, persist} from 'zustand/middleware'
import {api, call, type Story} from '../api/client'
import {describeError} from '../api/errors'
import type {Loadable} from './async'

export interface StoriesState extends Loadable {
  items: Story[]
  total: number
  /** Unsaved page text by page id. */
  pageDrafts: Record<string, string>
  load(): Promise<void>
  setPageDraft(pageId: string, text: string): void
  clearPageDraft(pageId: string): void
  reset(): void
}

export const useStories = create<StoriesState>()(
  persist(
    (set) => ({
      items: [],
      total: 0,
      status: 'idle',
      error: null,
      pageDrafts: {},
      async load() {
        set({status: 'loading', error: null})
        try {
          const items: Story[] = []
          let total = Infinity
          while (items.length < total) {
            const page = await call(() =>
              api.GET('/api/stories', {params: {query: {limit: 100, offset: items.length}}}),
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
      setPageDraft: (pageId, text) => set(({pageDrafts}) => ({pageDrafts: {...pageDrafts, [pageId]: text}})),
      clearPageDraft: (pageId) =>
        set(({pageDrafts}) => {
          const {[pageId]: _saved, ...rest} = pageDrafts
          return {pageDrafts: rest}
        }),
      reset: () => set({items: [], total: 0, status: 'idle', error: null}),
    }),
    {
      name: 'storybook.stories',
      storage: createJSONStorage(() => sessionStorage),
      partialize: ({pageDrafts}) => ({pageDrafts}),
    },
  ),
)
