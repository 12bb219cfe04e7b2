// The story wizard's draft, kept in sessionStorage: the choices, and once generating, the story
// and job ids, so that a reload picks up watching the job where it was.
import {create} from 'zustand'
import {createJSONStorage, persist} from 'zustand/middleware'

export interface StoryDraftState {
  step: number
  characterIds: string[]
  title: string
  theme: string
  targetAge: string | null
  pageCount: number
  storyId: string | null
  jobId: string | null
  setStep(step: number): void
  toggleCharacter(id: string): void
  setDetails(details: Partial<Pick<StoryDraftState, 'title' | 'theme' | 'targetAge' | 'pageCount'>>): void
  started(ids: {storyId: string; jobId: string | null}): void
  reset(): void
}

export const MAX_STORY_CHARACTERS = 6
const EMPTY = {
  step: 0,
  characterIds: [],
  title: '',
  theme: '',
  targetAge: null,
  pageCount: 6,
  storyId: null,
  jobId: null,
}

export const useStoryDraft = create<StoryDraftState>()(
  persist(
    (set) => ({
      ...EMPTY,
      setStep: (step) => set({step}),
      toggleCharacter: (id) =>
        set(({characterIds}) => ({
          characterIds: characterIds.includes(id)
            ? characterIds.filter((item) => item !== id)
            : characterIds.length < MAX_STORY_CHARACTERS
              ? [...characterIds, id]
              : characterIds,
        })),
      setDetails: (details) => set(details),
      started: ({storyId, jobId}) => set({storyId, jobId}),
      reset: () => set({...EMPTY, characterIds: []}),
    }),
    {
      name: 'storybook.story-draft',
      storage: createJSONStorage(() => sessionStorage),
      partialize: ({step, characterIds, title, theme, targetAge, pageCount, storyId, jobId}) => ({
        step,
        characterIds,
        title,
        theme,
        targetAge,
        pageCount,
        storyId,
        jobId,
      }),
    },
  ),
)
