// Renders the real routes in memory, signed in or not.
import {act, render} from '@testing-library/react'
import {RouterProvider} from 'react-router'
import {createTestRouter} from '../src/app/routes'
import {useSession} from '../src/store/session'
import {TOKEN, USER} from './fake-api'

export function signIn() {
  useSession.getState().signIn({token: TOKEN, user: USER})
}

export function renderRoute(path: string) {
  const router = createTestRouter(path)
  const view = render(<RouterProvider router={router} />)
  return {router, ...view}
}

interface PersistedStore {
  getInitialState(): unknown
  setState(state: never, replace: true): void
  persist: {getOptions(): {name?: string}; rehydrate(): Promise<void> | void}
}

/**
 * What a reload does to a persisted store: its memory starts over, then it reads back what the
 * browser storage held (resetting the memory must not overwrite that storage, so it is kept aside).
 */
export async function reloadStore(store: PersistedStore) {
  const name = store.persist.getOptions().name as string
  const kept = [localStorage, sessionStorage].map((storage) => [storage, storage.getItem(name)] as const)
  act(() => store.setState(store.getInitialState() as never, true))
  for (const [storage, value] of kept) {
    if (value === null) storage.removeItem(name)
    else storage.setItem(name, value)
  }
  await act(() => store.persist.rehydrate())
}
