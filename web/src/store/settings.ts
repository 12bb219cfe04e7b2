// The settings slice: the user's preferences, kept in localStorage across visits.
import {create} from 'zustand'
import {createJSONStorage, persist} from 'zustand/middleware'

export type Theme = 'system' | 'light' | 'dark'

export interface SettingsState {
  theme: Theme
  /** The age range a new story starts with. */
  defaultTargetAge: string
  /** Ask before deleting a page. */
  confirmDeletes: boolean
  update(patch: Partial<Pick<SettingsState, 'theme' | 'defaultTargetAge' | 'confirmDeletes'>>): void
}

export const TARGET_AGES = ['2-3', '3-5', '5-7', '7-9', '9-12'] as const

export const useSettings = create<SettingsState>()(
  persist(
    (set) => ({
      theme: 'system',
      defaultTargetAge: '3-5',
      confirmDeletes: true,
      update: (patch) => set(patch),
    }),
    {
      name: 'storybook.settings',
      storage: createJSONStorage(() => localStorage),
      partialize: ({theme, defaultTargetAge, confirmDeletes}) => ({theme, defaultTargetAge, confirmDeletes}),
    },
  ),
)
