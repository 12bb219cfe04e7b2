// The routes. Each screen is its own chunk, loaded when first visited: the first page load carries
// only React, the router, the stores and the shell.
import {createBrowserRouter, createMemoryRouter, type RouteObject} from 'react-router'
import {Layout, RequireAuth, RouteError} from './Layout'

export const ROUTES: RouteObject[] = [
  {
    Component: Layout,
    ErrorBoundary: RouteError,
    children: [
      {path: '/login', lazy: async () => ({Component: (await import('../screens/LoginPage')).LoginPage})},
      {path: '/signup', lazy: async () => ({Component: (await import('../screens/SignupPage')).SignupPage})},
      {
        Component: RequireAuth,
        children: [
          {index: true, lazy: async () => ({Component: (await import('../screens/DashboardPage')).DashboardPage})},
          {
            path: '/characters',
            lazy: async () => ({Component: (await import('../screens/CharactersPage')).CharactersPage}),
          },
          {
            path: '/characters/new',
            lazy: async () => ({Component: (await import('../screens/CharacterWizardPage')).CharacterWizardPage}),
          },
          {path: '/stories', lazy: async () => ({Component: (await import('../screens/StoriesPage')).StoriesPage})},
          {
            path: '/stories/new',
            lazy: async () => ({Component: (await import('../screens/StoryWizardPage')).StoryWizardPage}),
          },
          {
            path: '/stories/:id',
            lazy: async () => ({Component: (await import('../screens/StoryEditorPage')).StoryEditorPage}),
          },
          {path: '/settings', lazy: async () => ({Component: (await import('../screens/SettingsPage')).SettingsPage})},
        ],
      },
      {path: '*', lazy: async () => ({Component: (await import('../screens/NotFoundPage')).NotFoundPage})},
    ],
  },
]

export const createAppRouter = () => createBrowserRouter(ROUTES)
/** For tests: the same routes in memory, starting at `path`. */
export const createTestRouter = (path: string) => createMemoryRouter(ROUTES, {initialEntries: [path]})
