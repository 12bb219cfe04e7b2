import react from '@vitejs/plugin-react'
import {defineConfig} from 'vitest/config'

/** The integration tests that start, stop, watch over and inspect services: run once per process backend. */
const SERVICES_SUITE = ['test/integration/services.test.ts', 'test/integration/process-faults.test.ts']

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          environment: 'node',
          // Each test runs the built CLI as child processes; give slow machines room.
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          // Linux CI has /proc, so the portable backend (ps-list, pidusage, find-process: what macOS
          // and Windows use) would never run; here the CLI and its supervisors are made to use it.
          name: 'services-portable',
          include: SERVICES_SUITE,
          env: {STORYBOOK_PROCESS_BACKEND: 'portable'},
          globalSetup: ['test/integration/global-setup.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The web app's components in happy-dom, with a fake fetch at the network boundary only.
        plugins: [react()],
        test: {
          name: 'web',
          root: 'web',
          include: ['test/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          environmentOptions: {happyDOM: {url: 'http://127.0.0.1:3000/'}},
          setupFiles: ['test/setup.ts'],
        },
      },
      {
        // The dashboard page's components (web/dashboard) in happy-dom, with a fake fetch at the network boundary.
        plugins: [react()],
        test: {
          name: 'dashboard',
          root: 'web/dashboard',
          include: ['test/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          environmentOptions: {happyDOM: {url: 'http://127.0.0.1:8001/'}},
          setupFiles: ['test/setup.ts'],
        },
      },
    ],
  },
})
