// Alert rules and routing with time passed in: thresholds and the duration they must hold, counts in a
// window, grouping, group wait and interval, repeats, silences and resolved notices.
import {describe, expect, it} from 'vitest'
import {Dispatcher, type RoutingOptions, type Silence} from '../../../src/monitoring/alerts/dispatcher.js'
import {AlertEngine} from '../../../src/monitoring/alerts/engine.js'
import {
  DEFAULT_RULES,
  validateRules,
  type AlertRule,
  type MonitoringSnapshot,
  type ServiceSample,
} from '../../../src/monitoring/alerts/rules.js'

const SECOND = 1000
const MINUTE = 60 * SECOND

const service = (fields: Partial<ServiceSample> & {name: string}): ServiceSample => ({
  state: 'running',
  healthy: true,
  cpuPercent: 1,
  memoryBytes: 50_000_000,
  restarts: 0,
  ...fields,
})
const snapshot = (time: number, services: ServiceSample[], extra: Partial<MonitoringSnapshot> = {}) => ({
  time,
  services,
  ...extra,
})
const rule = (name: string): AlertRule => {
  const found = DEFAULT_RULES.find((candidate) => candidate.name === name)
  if (!found) throw new Error(`no default rule ${name}`)
  return found
}

describe('AlertEngine', () => {
  it('fires only after the condition held for the rule duration, and resolves when it stops', () => {
    const engine = new AlertEngine([rule('service-cpu')]) // above 90% for 2 minutes
    expect(engine.evaluate(snapshot(0, [service({name: 'api', cpuPercent: 95})]))).toEqual([])
    expect(engine.evaluate(snapshot(MINUTE, [service({name: 'api', cpuPercent: 97})]))).toEqual([])
    // A dip below the threshold starts the wait again
    expect(engine.evaluate(snapshot(90 * SECOND, [service({name: 'api', cpuPercent: 40})]))).toEqual([])
    expect(engine.evaluate(snapshot(100 * SECOND, [service({name: 'api', cpuPercent: 99})]))).toEqual([])
    expect(engine.evaluate(snapshot(200 * SECOND, [service({name: 'api', cpuPercent: 99})]))).toEqual([])
    const fired = engine.evaluate(snapshot(220 * SECOND, [service({name: 'api', cpuPercent: 98})]))
    expect(fired).toEqual([
      {
        kind: 'firing',
        alert: expect.objectContaining({
          id: 'service-cpu/api',
          severity: 'warning',
          startsAt: 220 * SECOND,
          summary: 'api uses 98% CPU (above 90% for 2 minutes)',
        }),
      },
    ])
    expect(engine.evaluate(snapshot(230 * SECOND, [service({name: 'api', cpuPercent: 99})]))).toEqual([])
    expect(engine.active().map((alert) => alert.id)).toEqual(['service-cpu/api'])
    const resolved = engine.evaluate(snapshot(240 * SECOND, [service({name: 'api', cpuPercent: 5})]))
    expect(resolved).toEqual([
      {kind: 'resolved', alert: expect.objectContaining({id: 'service-cpu/api', endsAt: 240 * SECOND})},
    ])
    expect(engine.active()).toEqual([])
  })

  it('calls a service down when it should answer and does not; a stopped one, or one on its first start, is not', () => {
    const engine = new AlertEngine([rule('service-down')])
    const first = engine.evaluate(
      snapshot(0, [
        service({name: 'api', state: 'running', healthy: false}),
        service({name: 'web', state: 'stopped', healthy: false}),
        service({name: 'dashboard', state: 'crashed', healthy: false}),
        service({name: 'first', state: 'starting', healthy: false, restarts: 0}),
        service({name: 'again', state: 'starting', healthy: false, restarts: 1}),
      ]),
    )
    expect(first.map((transition) => `${transition.kind} ${transition.alert.summary}`)).toEqual([
      'firing api is down',
      'firing dashboard is down',
      'firing again is down',
    ])
  })

  it('counts restarts within the window, and starts counting again when the counter goes back', () => {
    const engine = new AlertEngine([rule('service-restarting')]) // more than 2 in 10 minutes
    expect(engine.evaluate(snapshot(0, [service({name: 'api', restarts: 4})]))).toEqual([])
    expect(engine.evaluate(snapshot(MINUTE, [service({name: 'api', restarts: 6})]))).toEqual([])
    const fired = engine.evaluate(snapshot(2 * MINUTE, [service({name: 'api', restarts: 7})]))
    expect(fired.map((transition) => transition.alert.summary)).toEqual(['api restarted 3 times in 10 minutes'])
    // Eleven minutes later the early restarts have left the window
    expect(engine.evaluate(snapshot(13 * MINUTE, [service({name: 'api', restarts: 7})])).map((t) => t.kind)).toEqual([
      'resolved',
    ])
    // A new start resets the counter: 0 after 7 is not minus seven restarts, and 3 more fire again
    engine.evaluate(snapshot(14 * MINUTE, [service({name: 'api', restarts: 0})]))
    const again = engine.evaluate(snapshot(15 * MINUTE, [service({name: 'api', restarts: 3})]))
    expect(again.map((transition) => transition.kind)).toEqual(['firing'])
  })

  it('reads the API, disk and backup figures, formatted in their units', () => {
    const engine = new AlertEngine([rule('api-error-rate'), rule('disk-full'), rule('backup-old')])
    const at = (time: number, errorRate: number, backupAgeMs: number | null) =>
      snapshot(time, [], {
        api: {eventLoopDelayMs: 1, errorRate, p95LatencyMs: 10},
        disk: {usedBytes: 95, totalBytes: 100},
        backupAgeMs,
      })
    const first = engine.evaluate(at(0, 0.2, null))
    expect(first.map((transition) => transition.alert.summary)).toEqual([
      'The disk of the state directory is 95.0% full',
      'No backup in the last 7 days (newest: none; storybook db backup makes one)',
    ])
    const later = engine.evaluate(at(MINUTE, 0.25, 8 * 86_400_000))
    expect(later.map((transition) => transition.alert.summary)).toEqual([
      'The API answers 25.0% of requests with a 5xx',
    ])
    expect(engine.active().find((alert) => alert.rule === 'backup-old')?.summary).toBe(
      'No backup in the last 7 days (newest: 8 days old; storybook db backup makes one)',
    )
  })
})

const ROUTING: RoutingOptions = {
  groupBy: ['rule'],
  groupWaitMs: 10 * SECOND,
  groupIntervalMs: MINUTE,
  repeatIntervalMs: 60 * MINUTE,
}

function setUp(silences: Silence[] = []) {
  const engine = new AlertEngine([rule('service-down')])
  const dispatcher = new Dispatcher(ROUTING, () => silences)
  const step = (time: number, services: ServiceSample[]) => {
    dispatcher.receive(engine.evaluate(snapshot(time, services)), time)
    return dispatcher.due(time).map((notification) => ({
      status: notification.status,
      firing: notification.firing.map((alert) => alert.instance),
      resolved: notification.resolved.map((alert) => alert.instance),
    }))
  }
  return {step, dispatcher}
}
const down = (name: string) => service({name, healthy: false})
const up = (name: string) => service({name})

describe('Dispatcher', () => {
  it('waits groupWait to send the alerts of one rule together', () => {
    const {step} = setUp()
    expect(step(0, [down('api'), up('web')])).toEqual([])
    expect(step(5 * SECOND, [down('api'), down('web')])).toEqual([])
    expect(step(10 * SECOND, [down('api'), down('web')])).toEqual([
      {status: 'firing', firing: ['api', 'web'], resolved: []},
    ])
  })

  it('sends a changed group no sooner than groupInterval, and a resolved notice when all resolve', () => {
    const {step} = setUp()
    step(0, [down('api'), up('web')])
    expect(step(10 * SECOND, [down('api'), up('web')])).toHaveLength(1)
    expect(step(20 * SECOND, [down('api'), down('web')])).toEqual([])
    expect(step(69 * SECOND, [down('api'), down('web')])).toEqual([])
    expect(step(70 * SECOND, [down('api'), down('web')])).toEqual([
      {status: 'firing', firing: ['api', 'web'], resolved: []},
    ])
    expect(step(80 * SECOND, [up('api'), up('web')])).toEqual([])
    expect(step(130 * SECOND, [up('api'), up('web')])).toEqual([
      {status: 'resolved', firing: [], resolved: ['api', 'web']},
    ])
    expect(step(10 * MINUTE, [up('api'), up('web')])).toEqual([])
  })

  it('repeats an unchanged firing group every repeatInterval, and never between', () => {
    const {step} = setUp()
    step(0, [down('api')])
    expect(step(10 * SECOND, [down('api')])).toHaveLength(1)
    expect(step(59 * MINUTE, [down('api')])).toEqual([])
    expect(step(60 * MINUTE + 10 * SECOND, [down('api')])).toEqual([{status: 'firing', firing: ['api'], resolved: []}])
    expect(step(61 * MINUTE, [down('api')])).toEqual([])
  })

  it('says nothing of an alert that resolved before its group was sent', () => {
    const {step} = setUp()
    step(0, [down('api')])
    expect(step(5 * SECOND, [up('api')])).toEqual([])
    expect(step(10 * MINUTE, [up('api')])).toEqual([])
  })

  it('leaves silenced alerts out, and tells of one that outlives its silence', () => {
    const silence: Silence = {
      id: 's1',
      rule: 'service-down',
      instance: 'api',
      startsAt: 0,
      endsAt: 2 * MINUTE,
      comment: 'deploying',
    }
    const {step, dispatcher} = setUp([silence])
    step(0, [down('api'), down('web')])
    expect(step(10 * SECOND, [down('api'), down('web')])).toEqual([{status: 'firing', firing: ['web'], resolved: []}])
    expect(dispatcher.isSilenced({rule: 'service-down', instance: 'api'}, MINUTE)).toBe(true)
    expect(step(MINUTE, [down('api'), up('web')])).toEqual([])
    // web resolved: its notice does not mention the silenced api
    expect(step(70 * SECOND, [down('api'), up('web')])).toEqual([{status: 'resolved', firing: [], resolved: ['web']}])
  })

  it('tells of an alert whose silence ends while it still fires', () => {
    const silence: Silence = {id: 's1', rule: 'service-down', startsAt: 0, endsAt: MINUTE, comment: ''}
    const {step} = setUp([silence])
    step(0, [down('api')])
    expect(step(10 * SECOND, [down('api')])).toEqual([])
    expect(step(MINUTE, [down('api')])).toEqual([])
    expect(step(70 * SECOND, [down('api')])).toEqual([{status: 'firing', firing: ['api'], resolved: []}])
  })
})

describe('validateRules', () => {
  it('accepts the defaults', () => {
    expect(validateRules(DEFAULT_RULES)).toEqual({rules: DEFAULT_RULES, problems: []})
  })

  it('lists every problem of every rule', () => {
    const {rules, problems} = validateRules([
      {name: 'Bad Name', metric: 'cpu', threshold: '90', forMs: -1, severity: 'loud', summary: ''},
      {name: 'restarts', metric: 'service.restarts', threshold: 1, forMs: 0, severity: 'info', summary: 'x'},
      {...DEFAULT_RULES[0]},
      {...DEFAULT_RULES[0]},
    ])
    expect(rules.map((accepted) => accepted.name)).toEqual(['service-down'])
    expect(problems.map((problem) => `${problem.rule}.${problem.field}`)).toEqual([
      'Bad Name.name',
      'Bad Name.metric',
      'Bad Name.threshold',
      'Bad Name.forMs',
      'Bad Name.severity',
      'Bad Name.summary',
      'restarts.windowMs',
      'service-down.name',
    ])
  })
})
