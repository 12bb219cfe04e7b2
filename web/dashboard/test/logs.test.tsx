// The log viewer: its filters become the query of /api/logs, and the lines are shown as answered.
import {render, screen, waitFor} from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import {describe, expect, it} from 'vitest'
import {LogViewer} from '../src/LogViewer'
import {fakeDashboard} from './fake-dashboard'

const TIME = Date.parse('2026-11-30T08:00:00Z')

describe('LogViewer', () => {
  it('asks for the chosen service, level, text and start time, and shows the lines answered', async () => {
    const requests = fakeDashboard({
      'GET /api/logs': (request) => ({
        lines:
          request.url.searchParams.get('q') === 'listening'
            ? [{service: 'api', time: TIME, level: 30, msg: 'Server listening', raw: '{}'}]
            : [
                {service: 'api', time: TIME, level: 30, msg: 'Server listening', raw: '{}'},
                {service: 'web', time: TIME + 1, level: 40, msg: 'slow answer', raw: '{}'},
              ],
      }),
    })
    render(<LogViewer services={['api', 'web']} />)
    expect(await screen.findByText('2 lines')).toBeTruthy()

    await userEvent.selectOptions(screen.getByLabelText('Service'), 'api')
    await userEvent.selectOptions(screen.getByLabelText('Level at least'), 'warn')
    await userEvent.type(screen.getByLabelText('Text'), 'listening')
    await screen.findByText('1 line')
    expect(screen.getByText('Server listening')).toBeTruthy()
    expect(screen.queryByText('slow answer')).toBeNull()
    await waitFor(() => {
      const last = requests[requests.length - 1]?.url.searchParams
      expect(Object.fromEntries(last ?? [])).toMatchObject({service: 'api', level: 'warn', q: 'listening'})
    })

    // Jump to a time: the lines from then on.
    await userEvent.click(screen.getByRole('button', {name: 'Last 5 minutes'}))
    await waitFor(() => {
      const since = Number(requests[requests.length - 1]?.url.searchParams.get('since'))
      expect(since).toBeGreaterThan(Date.now() - 6 * 60_000)
      expect(since).toBeLessThanOrEqual(Date.now() - 4 * 60_000)
    })
  })
})
