// The alert history and the silences: what they show, and the requests their buttons and form send.
import {render, screen, within} from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import {describe, expect, it} from 'vitest'
import type {AlertRecord, Silence} from '../src/api'
import {AlertHistory, Silences} from '../src/Alerts'
import {fakeDashboard} from './fake-dashboard'

const FIRED = Date.parse('2026-11-30T08:00:00Z')

const alert = (fields: Partial<AlertRecord>): AlertRecord => ({
  id: 1,
  alertId: 'service-down/api',
  rule: 'service-down',
  instance: 'api',
  severity: 'critical',
  summary: 'api is down',
  firedAt: FIRED,
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt: null,
  ...fields,
})

describe('AlertHistory', () => {
  it('shows each alert as firing, acknowledged or resolved, and acknowledges a firing one by its button', async () => {
    let alerts = [
      alert({id: 1}),
      alert({id: 2, alertId: 'service-cpu/web', rule: 'service-cpu', instance: 'web', resolvedAt: FIRED + 60_000}),
    ]
    const requests = fakeDashboard({
      'GET /api/alerts': () => ({alerts}),
      'POST /api/alerts/1/ack': () => {
        alerts = alerts.map((entry) =>
          entry.id === 1 ? {...entry, acknowledgedAt: FIRED + 5_000, acknowledgedBy: 'dashboard'} : entry,
        )
        return {acknowledged: true}
      },
    })
    render(<AlertHistory version={0} />)
    const firing = await screen.findByText('firing')
    expect(within(firing.closest('tr') as HTMLElement).getByText(/api is down/)).toBeTruthy()
    expect(screen.getByText('resolved')).toBeTruthy()
    // Only the open alert can be acknowledged.
    expect(screen.getAllByRole('button', {name: /^Acknowledge/})).toHaveLength(1)

    await userEvent.click(screen.getByRole('button', {name: 'Acknowledge service-down/api'}))
    await screen.findByText('acknowledged')
    expect(screen.getByText(/by dashboard$/)).toBeTruthy()
    expect(screen.queryByRole('button', {name: /^Acknowledge/})).toBeNull()
    expect(requests.find((request) => request.method === 'POST')?.body).toEqual({by: 'dashboard'})
  })

  it('says so when there are no alerts', async () => {
    fakeDashboard({'GET /api/alerts': () => ({alerts: []})})
    render(<AlertHistory version={0} />)
    expect(await screen.findByText('No alerts yet.')).toBeTruthy()
  })
})

describe('Silences', () => {
  it('creates a silence from the form and expires it by its button', async () => {
    let silences: Silence[] = []
    const requests = fakeDashboard({
      'GET /api/silences': () => ({silences}),
      'POST /api/silences': (request) => {
        const body = request.body as {rule?: string; instance?: string; minutes: number; comment: string}
        const created = {id: 's1', ...body, startsAt: FIRED, endsAt: FIRED + body.minutes * 60_000}
        silences = [created]
        return created
      },
      'DELETE /api/silences/s1': () => {
        silences = []
        return {expired: true}
      },
    })
    render(<Silences services={['api', 'web']} version={0} />)
    expect(await screen.findByText('No silences in effect.')).toBeTruthy()

    await userEvent.type(screen.getByLabelText('Rule (empty: every rule)'), 'service-down')
    await userEvent.selectOptions(screen.getByLabelText('Service'), 'api')
    await userEvent.clear(screen.getByLabelText('Minutes'))
    await userEvent.type(screen.getByLabelText('Minutes'), '30')
    await userEvent.type(screen.getByLabelText('Comment'), 'deploying')
    await userEvent.click(screen.getByRole('button', {name: 'Silence'}))

    expect(await screen.findByText(/deploying/)).toBeTruthy()
    expect(requests.find((request) => request.method === 'POST')?.body).toEqual({
      rule: 'service-down',
      instance: 'api',
      minutes: 30,
      comment: 'deploying',
    })
    await userEvent.click(screen.getByRole('button', {name: 'Expire silence s1'}))
    expect(await screen.findByText('No silences in effect.')).toBeTruthy()
    expect(requests.some((request) => request.method === 'DELETE' && request.url.pathname === '/api/silences/s1')).toBe(
      true,
    )
  })
})
