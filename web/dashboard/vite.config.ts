// The monitoring dashboard's page: its own entry in the web workspace, served by the dashboard service
// (src/dashboard/app.ts) from web/dist/dashboard. Built after the studio, whose build empties web/dist.
// The dev server proxies the JSON and the event stream to a running dashboard on DASHBOARD_PORT.
import react from '@vitejs/plugin-react'
import {fileURLToPath} from 'node:url'
import {defineConfig} from 'vite'

const dashboard = `http://127.0.0.1:${process.env.DASHBOARD_PORT ?? '8001'}`

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  server: {host: '127.0.0.1', port: 3001, proxy: {'/api': dashboard, '/events': dashboard}},
  build: {
    outDir: '../dist/dashboard',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
  },
})
