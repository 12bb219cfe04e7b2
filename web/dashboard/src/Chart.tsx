// A time-series chart (uPlot) of one or more metrics over the chosen range: the history from
// /api/series, then every streamed sample appended as it comes. Its figures are also given as text
// (the caption, and data-* attributes for tests), so the chart is never the only way to read them.
import {useEffect, useRef, useState} from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import {api, RANGE_MS, type MetricSample, type Range} from './api'
import {onSamples} from './live'

export interface ChartSeries {
  metric: string
  instance: string
  label: string
}

export interface ChartProps {
  id: string
  title: string
  unit: string
  series: ChartSeries[]
  range: Range
  /** Bumped while polling: the series are fetched again, as no samples stream in. */
  pollVersion: number
  /** From the stored value to the shown one (bytes to MB, a fraction to percent). */
  scale?: number
  digits?: number
}

const COLORS = ['#1f5fbf', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0e7490']
const HEIGHT = 180

/** Times in seconds (uPlot's x) and one column of values per series, aligned on the times. */
interface Columns {
  times: number[]
  values: Array<Array<number | null>>
}

/**
 * A time in the middle of every gap more than three usual steps wide, where no series has a value: uPlot
 * then breaks the line there (the API was down) instead of drawing across it.
 */
export function withGaps(times: number[]): number[] {
  const steps = times.slice(1).map((time, index) => time - (times[index] as number))
  const usual = [...steps].sort((a, b) => a - b)[Math.floor(steps.length / 2)]
  if (usual === undefined || usual <= 0) return times
  return times.flatMap((time, index) => {
    const next = times[index + 1]
    return next !== undefined && next - time > 3 * usual ? [time, Math.round((time + next) / 2)] : [time]
  })
}

function align(perSeries: Array<Array<{time: number; value: number}>>, scale: number): Columns {
  const sampled = [...new Set(perSeries.flatMap((points) => points.map((point) => point.time)))].sort((a, b) => a - b)
  const times = withGaps(sampled)
  const values = perSeries.map((points) => {
    const byTime = new Map(points.map((point) => [point.time, point.value * scale]))
    return times.map((time) => byTime.get(time) ?? null)
  })
  return {times: times.map((time) => time / 1000), values}
}

function summarize(columns: Columns) {
  const latest = columns.values.map((column) => [...column].reverse().find((value) => value !== null) ?? null)
  const peak = columns.values.map((column) =>
    column.reduce<number | null>((max, value) => (value !== null && (max === null || value > max) ? value : max), null),
  )
  const points = columns.values.reduce((sum, column) => sum + column.filter((value) => value !== null).length, 0)
  return {latest, peak, points}
}

function plotOptions(width: number, series: ChartSeries[], unit: string, digits: number): uPlot.Options {
  const format = (value: number | null) => (value === null ? '–' : `${value.toFixed(digits)} ${unit}`.trim())
  return {
    width,
    height: HEIGHT,
    series: [
      {},
      ...series.map((entry, index) => ({
        label: entry.label,
        stroke: COLORS[index % COLORS.length],
        width: 1.5,
        value: (_plot: uPlot, value: number | null) => format(value),
      })),
    ],
    axes: [{}, {size: 64, values: (_plot, ticks) => ticks.map((tick) => `${+tick.toFixed(digits)}`)}],
    scales: {
      x: {time: true},
      y: {range: (_plot, min, max) => [Math.min(0, min ?? 0), (max ?? 0) > 0 ? max * 1.1 : 1]},
    },
    legend: {live: true},
  }
}

/** Adds a streamed sample's values (when it has any of the chart's series) and drops what left the range. */
function appendSample(
  columns: Columns,
  time: number,
  samples: MetricSample[],
  {series, scale, rangeMs}: {series: ChartSeries[]; scale: number; rangeMs: number},
): boolean {
  const seconds = time / 1000
  const last = columns.times[columns.times.length - 1]
  if (last !== undefined && seconds <= last) return false
  const values = series.map((entry) => {
    const sample = samples.find((item) => item.metric === entry.metric && item.instance === entry.instance)
    return sample ? sample.value * scale : null
  })
  if (values.every((value) => value === null)) return false
  columns.times.push(seconds)
  values.forEach((value, index) => columns.values[index]?.push(value))
  const oldest = seconds - rangeMs / 1000
  let drop = 0
  while ((columns.times[drop] ?? Infinity) < oldest) drop += 1
  if (drop > 0) {
    columns.times.splice(0, drop)
    for (const column of columns.values) column.splice(0, drop)
  }
  return true
}

/** The caption: "requests/s: 12.3 now, peak 40.0", or one part per series ("api 1.2 % now, …; web no data"). */
function summaryText(series: ChartSeries[], summary: ReturnType<typeof summarize>, unit: string, digits: number) {
  const withUnit = (value: number) => (unit === '' ? value.toFixed(digits) : `${value.toFixed(digits)} ${unit}`)
  return series
    .map((entry, index) => {
      const latest = summary.latest[index]
      const peak = summary.peak[index]
      const name = series.length > 1 ? `${entry.label} ` : ''
      return latest === null || latest === undefined
        ? `${name}no data`
        : `${name}${withUnit(latest)} now, peak ${withUnit(peak ?? latest)}`
    })
    .join('; ')
}

export function Chart({id, title, unit, series, range, pollVersion, scale = 1, digits = 1}: ChartProps) {
  const holder = useRef<HTMLDivElement>(null)
  const columns = useRef<Columns>({times: [], values: series.map(() => [])})
  const plot = useRef<uPlot | null>(null)
  const [summary, setSummary] = useState(() => summarize(columns.current))
  const [loadError, setLoadError] = useState<string | null>(null)
  const key = series.map((entry) => `${entry.metric}|${entry.instance}|${entry.label}`).join(',')

  // The plot itself: made again when the series change; follows its holder's width.
  useEffect(() => {
    const element = holder.current
    if (!element) return
    // New series: the columns of the old ones no longer fit; the history effect below fills them.
    if (columns.current.values.length !== series.length) columns.current = {times: [], values: series.map(() => [])}
    const options = plotOptions(Math.max(200, element.clientWidth), series, unit, digits)
    const created = new uPlot(options, [columns.current.times, ...columns.current.values], element)
    plot.current = created
    const resize = new ResizeObserver(() =>
      created.setSize({width: Math.max(200, element.clientWidth), height: HEIGHT}),
    )
    resize.observe(element)
    return () => {
      resize.disconnect()
      created.destroy()
      plot.current = null
    }
    // key stands for series: a new array with the same entries must not rebuild the plot.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, unit, digits])

  // The history of the range, again when the range (or, while polling, the poll) changes.
  useEffect(() => {
    const controller = new AbortController()
    Promise.all(series.map((entry) => api.series(entry.metric, entry.instance, range, controller.signal)))
      .then((answers) => {
        columns.current = align(
          answers.map((answer) => answer.points),
          scale,
        )
        plot.current?.setData([columns.current.times, ...columns.current.values])
        setSummary(summarize(columns.current))
        setLoadError(null)
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setLoadError(`Could not load the history: ${String(error)}`)
      })
    return () => controller.abort()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, range, scale, pollVersion])

  // Streamed samples: appended, and what falls out of the range dropped.
  useEffect(() => {
    const append = (time: number, samples: MetricSample[]) => {
      if (!appendSample(columns.current, time, samples, {series, scale, rangeMs: RANGE_MS[range]})) return
      plot.current?.setData([columns.current.times, ...columns.current.values])
      setSummary(summarize(columns.current))
    }
    return onSamples(append)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, range, scale])

  const text = summaryText(series, summary, unit, digits)

  return (
    <figure
      className="chart"
      id={id}
      data-points={summary.points}
      data-latest={summary.latest.map((value) => value ?? '').join(',')}
      data-peak={summary.peak.map((value) => value ?? '').join(',')}
    >
      <figcaption>
        <strong>{title}</strong>
        <span className="chart-summary" aria-live="off">
          {title}: {text}
        </span>
      </figcaption>
      <div className="chart-plot" ref={holder} aria-hidden="true" />
      {loadError && <p className="error">{loadError}</p>}
    </figure>
  )
}
