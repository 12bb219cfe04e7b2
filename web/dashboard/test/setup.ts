// Every dashboard component test starts with a fetch that fails loudly unless the test fakes the
// dashboard's JSON (fake-dashboard.ts).
import {cleanup, configure} from '@testing-library/react'
import {afterEach, beforeEach, vi} from 'vitest'

configure({asyncUtilTimeout: 5_000})

beforeEach(() => {
  vi.stubGlobal('fetch', () => Promise.reject(new Error('this test did not fake the dashboard')))
})

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})
