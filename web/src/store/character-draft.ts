// The character wizard's draft: every step's input and the step itself, kept in sessionStorage so
// that going back and forth, a reload or logging in again loses nothing.
import {create} from 'zustand'
import {createJSONStorage, persist} from 'zustand/middleware'
import type {Traits} from '../api/client'

export interface CharacterDraftState {
  step: number
  name: string
  description: string
  traits: Traits
  setStep(step: number): void
  setBasics(basics: {name?: string; description?: string}): void
  /** Chooses the one value of a single-choice category. */
  choose(category: string, value: string): void
  /** Adds or removes a value of a multiple-choice category. */
  toggle(category: string, value: string): void
  reset(): void
}

const EMPTY = {step: 0, name: '', description: '', traits: {}}

export const useCharacterDraft = create<CharacterDraftState>()(
  persist(
    (set) => ({
      ...EMPTY,
      setStep: (step) => set({step}),
      setBasics: (basics) => set(basics),
      choose: (category, value) => set(({traits}) => ({traits: {...traits, [category]: value}})),
      toggle: (category, value) =>
        set(({traits}) => {
          const current = traits[category]
          const values = Array.isArray(current) ? current : current ? [current] : []
          const next = values.includes(value) ? values.filter((item) => item !== value) : [...values, value]
          const {[category]: _old, ...rest} = traits
          return {traits: next.length > 0 ? {...rest, [category]: next} : rest}
        }),
      reset: () => set({...EMPTY, traits: {}}),
    }),
    {
      name: 'storybook.character-draft',
      storage: createJSONStorage(() => sessionStorage),
      partialize: ({step, name, description, traits}) => ({step, name, description, traits}),
    },
  ),
)
