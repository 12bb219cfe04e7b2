// The studio's Vite config. The app calls the API only through relative /api URLs: the dev server
// (and `vite preview`) proxy them to the API on API_PORT, so the browser sees one origin.
import react from '@vitejs/plugin-react'
import {fileURLToPath} from 'node:url'
import {defineConfig} from 'vite'

const apiTarget = `http://127.0.0.1:${process.env.API_PORT ?? '8000'}`
const webPort = Number(process.env.WEB_PORT ?? '3000')
const proxy = {'/api': {target: apiTarget}, '/openapi.json': {target: apiTarget}}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  server: {host: '127.0.0.1', port: webPort, strictPort: true, proxy},
  preview: {host: '127.0.0.1', port: webPort, strictPort: true, proxy},
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Hashed file names may be cached for a year; index.html is what changes.
    assetsDir: 'assets',
    manifest: true,
    target: 'es2022',
  },
})
