// The shell: a skip link, the header with navigation and the signed-in user, and the screen.
// RequireAuth sends anyone without a session to log in.
import {Suspense, useEffect} from 'react'
import {Link, Navigate, NavLink, Outlet, useLocation, useNavigate, useNavigation, useRouteError} from 'react-router'
import {api} from '../api/client'
import {Loading} from '../components/Status'
import {useCharacters} from '../store/characters'
import {useSession} from '../store/session'
import {useSettings} from '../store/settings'
import {useStories} from '../store/stories'

function useTheme() {
  const theme = useSettings((state) => state.theme)
  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme
    else document.documentElement.dataset.theme = theme
  }, [theme])
}

function Header() {
  const user = useSession((state) => state.user)
  const token = useSession((state) => state.token)
  const signOut = useSession((state) => state.signOut)
  const navigate = useNavigate()
  const logOut = async () => {
    // Logging out works even with the API down: the token is forgotten here either way.
    await api.POST('/api/auth/logout').catch(() => undefined)
    signOut()
    useCharacters.getState().reset()
    useStories.getState().reset()
    navigate('/login')
  }
  return (
    <header className="site-header">
      <Link to="/" className="brand">
        Storybook studio
      </Link>
      {token && (
        <nav aria-label="Main">
          <NavLink to="/" end>
            Dashboard
          </NavLink>
          <NavLink to="/characters" end>
            Characters
          </NavLink>
          <NavLink to="/stories" end>
            Stories
          </NavLink>
          <NavLink to="/settings">Settings</NavLink>
          <button type="button" className="link-button" onClick={() => void logOut()}>
            Log out{user ? ` ${user.displayName}` : ''}
          </button>
        </nav>
      )}
    </header>
  )
}

export function Layout() {
  useTheme()
  const navigation = useNavigation()
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      {navigation.state === 'loading' && (
        <div className="route-progress" role="progressbar" aria-label="Loading the page" />
      )}
      <Suspense fallback={<Loading />}>
        <Outlet />
      </Suspense>
    </>
  )
}

export function RequireAuth() {
  const token = useSession((state) => state.token)
  const location = useLocation()
  // Where the user was goes along, so that logging in (again) returns there.
  if (!token) return <Navigate to="/login" replace state={{from: `${location.pathname}${location.search}`}} />
  return <Outlet />
}

export function RouteError() {
  const error = useRouteError()
  // A chunk that cannot load (the web server restarted with a new build, or is down).
  const message = error instanceof Error ? error.message : 'This page could not be shown.'
  return (
    <main id="main" className="page">
      <h1>Something went wrong</h1>
      <p role="alert">{message}</p>
      <button type="button" className="button primary" onClick={() => window.location.reload()}>
        Reload the page
      </button>
    </main>
  )
}
