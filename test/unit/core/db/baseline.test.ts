// The adoption decision (pure) and the per-dialect normalising of column types and defaults.
import {describe, expect, it} from 'vitest'
import {planIntegration} from '../../../../src/core/db/baseline.js'
import {resolveBaselineTarget} from '../../../../src/core/db/baseline-target.js'
import {normaliseColumnDefault, normaliseColumnType} from '../../../../src/core/db/column-shapes.js'
import type {StorybookError} from '../../../../src/core/errors.js'

const TABLE_A = ['table a', 'column a.id', 'type a.id integer', 'default a.id none']
const TABLE_B = ['table b', 'column b.id', 'type b.id text', 'default b.id none']
/** 0001 makes a, 0002 only inserts rows, 0003 makes b, 0004 is the empty template. */
const NAMES = ['0001_a', '0002_data', '0003_b', '0004_empty']
const HISTORY = [[], TABLE_A, TABLE_A, [...TABLE_A, ...TABLE_B], [...TABLE_A, ...TABLE_B]].map(
  (state) => new Set(state),
)

describe('planIntegration', () => {
  it('stamps up to the matched migration and leaves a data migration after it pending', () => {
    const plan = planIntegration(new Set(TABLE_A), NAMES, HISTORY)
    expect(plan).toMatchObject({stamp: ['0001_a'], pending: ['0002_data', '0003_b', '0004_empty'], refusal: null})
    expect(plan.migrations.map((entry) => entry.status)).toEqual(['present', 'unverifiable', 'absent', 'unverifiable'])
  })

  it('refuses a data migration before the matched one, naming it and the baseline candidate', () => {
    const plan = planIntegration(new Set([...TABLE_A, ...TABLE_B]), NAMES, HISTORY)
    expect(plan.refusal).toMatch(/^0002_data changes no schema/)
    expect(plan.baselineCandidate).toBe('0003_b')
    expect(plan.stamp).toEqual([])
  })

  it('calls a column of another type partial, with both types, and refuses', () => {
    const actual = new Set([...TABLE_A.filter((object) => !object.startsWith('type ')), 'type a.id text'])
    const plan = planIntegration(actual, NAMES, HISTORY)
    expect(plan.migrations[0]).toEqual({
      name: '0001_a',
      status: 'partial',
      missing: [],
      mismatched: ['a.id: type integer expected, text found'],
    })
    expect(plan.refusal).toContain('a.id: type integer expected, text found')
  })

  it('judges a drop by the absence of what it drops', () => {
    const names = ['0001_a', '0002_drop_a']
    const history = [new Set<string>(), new Set(TABLE_A), new Set<string>()]
    expect(planIntegration(new Set(), names, history)).toMatchObject({stamp: [], refusal: null})
    const dropped = planIntegration(new Set(['table unrelated']), names, history)
    expect(dropped.migrations.map((entry) => entry.status)).toEqual(['absent', 'present'])
  })
})

describe('column types and defaults', () => {
  it.each([
    ['int4', 'integer'],
    ['INTEGER', 'integer'],
    ['bigint', 'integer'],
    ['character varying', 'text'],
    ['varchar(80)', 'text'],
    ['timestamp with time zone', 'timestamp'],
    ['timestamptz', 'timestamp'],
    ['datetime', 'timestamp'],
    ['jsonb', 'json'],
  ])('%s is %s', (declared, family) => {
    expect(normaliseColumnType(declared)).toBe(family)
  })

  it.each([
    ["''::text", "''"],
    ["'draft'::character varying", "'draft'"],
    ['0', '0'],
    ['(0)', '0'],
    ['now()', 'current_timestamp'],
    ['CURRENT_TIMESTAMP', 'current_timestamp'],
    ["nextval('pages_id_seq'::regclass)", 'none'],
    [null, 'none'],
  ])('the default %s reads %s', (value, normalised) => {
    expect(normaliseColumnDefault(value)).toBe(normalised)
  })
})

describe('resolveBaselineTarget', () => {
  it('takes a full name or a number, and answers a typo with the closest names', () => {
    expect(resolveBaselineTarget(NAMES, '0003_b')).toBe(2)
    expect(resolveBaselineTarget(NAMES, '0003')).toBe(2)
    const error = (() => {
      try {
        resolveBaselineTarget(NAMES, '0002_dta')
      } catch (caught) {
        return caught as StorybookError
      }
    })()
    expect(error?.code).toBe('NOT_FOUND')
    expect((error?.details.closest as string[])[0]).toBe('0002_data')
  })
})
