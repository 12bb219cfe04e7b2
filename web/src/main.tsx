// The studio's entry: the router with every screen loaded on first visit (route-level splitting).
import {StrictMode} from 'react'
import {createRoot} from 'react-dom/client'
import {RouterProvider} from 'react-router/dom'
import {createAppRouter} from './app/routes'
import {startMetrics} from './metrics'
import './styles.css'

startMetrics()
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <RouterProvider router={createAppRouter()} />
  </StrictMode>,
)
