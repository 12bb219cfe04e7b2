// The session slice: who is signed in, with which token. Kept in localStorage so a reload stays
// signed in; when the API says the token is no longer good, `expire` ends it and the login screen says why.
import {create} from 'zustand'
import {createJSONStorage, persist} from 'zustand/middleware'
import type {components} from '../api/schema'

type User = components['schemas']['User']

export interface SessionState {
  token: string | null
  user: User | null
  /** Set when a signed-in request got 401: the login screen says so (RequireAuth tells it where to return). */
  expired: boolean
  /** The last email signed in with, to fill in the login form after an expiry. */
  lastEmail: string
  signIn(session: {token: string; user: User}): void
  signOut(): void
  expire(): void
}

export const useSession = create<SessionState>()(
  persist(
    (set) => ({
      token: null,
      user: null,
      expired: false,
      lastEmail: '',
      signIn: ({token, user}) => set({token, user, expired: false, lastEmail: user.email}),
      signOut: () => set({token: null, user: null, expired: false}),
      expire: () => set({token: null, expired: true}),
    }),
    {
      name: 'storybook.session',
      storage: createJSONStorage(() => localStorage),
      partialize: ({token, user, lastEmail, expired}) => ({token, user, lastEmail, expired}),
    },
  ),
)

export const useIsSignedIn = () => useSession((state) => state.token !== null)
export const useCurrentUser = () => useSession((state) => state.user)
