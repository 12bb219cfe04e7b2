// The session slice: who is signed in, with which token. Kept in localStorage so a reload stays
// signed in; when the API says the token is no longer good, `expire` remembers where the user was.
import {create} from 'zustand'
import {createJSONStorage, persist} from 'zustand/middleware'
import type {components} from '../api/schema'

type User = components['schemas']['User']

export interface SessionState {
  token: string | null
  user: User | null
  /** Set when a signed-in request got 401: the login screen says so and returns here afterwards. */
  expiredAt: string | null
  /** The last email signed in with, to fill in the login form after an expiry. */
  lastEmail: string
  signIn(session: {token: string; user: User}): void
  signOut(): void
  expire(returnTo: string): void
}

export const useSession = create<SessionState>()(
  persist(
    (set) => ({
      token: null,
      user: null,
      expiredAt: null,
      lastEmail: '',
      signIn: ({token, user}) => set({token, user, expiredAt: null, lastEmail: user.email}),
      signOut: () => set({token: null, user: null, expiredAt: null}),
      expire: (returnTo) => set({token: null, expiredAt: returnTo}),
    }),
    {
      name: 'storybook.session',
      storage: createJSONStorage(() => localStorage),
      partialize: ({token, user, lastEmail, expiredAt}) => ({token, user, lastEmail, expiredAt}),
    },
  ),
)

export const useIsSignedIn = () => useSession((state) => state.token !== null)
export const useCurrentUser = () => useSession((state) => state.user)
