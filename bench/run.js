// npm run bench: start-up time of the built CLI as ratios to `node -e 0`, measured in the same run.
// Runs are interleaved (one of each in turn) so that machine noise hits every command alike.
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CLI = join(ROOT, 'bin', 'run.js')
const RUNS = Number(process.env.BENCH_RUNS ?? 21)
const TARGET = 2

const project = mkdtempSync(join(tmpdir(), 'storybook-bench-'))
writeFileSync(join(project, 'package.json'), '{"name":"storybook-toolkit"}')
const env = {...process.env, STORYBOOK_ROOT: project, STORYBOOK_STATE_DIR: join(project, 'var'), NO_COLOR: '1'}
execFileSync(process.execPath, [CLI, 'env', 'setup', '--yes'], {env, stdio: 'ignore'})

const cases = [
  {name: 'node -e 0', args: ['-e', '0'], reference: true},
  {name: 'storybook --help', args: [CLI, '--help']},
  {name: 'storybook env show --json', args: [CLI, 'env', 'show', '--json']},
]

function timeOnce(args) {
  const started = process.hrtime.bigint()
  const result = spawnSync(process.execPath, args, {env, cwd: project, stdio: ['ignore', 'ignore', 'pipe']})
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`)
  return ms
}

const samples = new Map(cases.map((c) => [c.name, []]))
for (const c of cases) timeOnce(c.args) // warm the file cache
for (let run = 0; run < RUNS; run++) for (const c of cases) samples.get(c.name).push(timeOnce(c.args))
rmSync(project, {recursive: true, force: true})

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}
const reference = median(samples.get('node -e 0'))
console.log(`start-up, median of ${RUNS} interleaved runs (target: at most ${TARGET.toFixed(1)}x node -e 0)\n`)
console.log(`${'command'.padEnd(28)}${'median'.padStart(10)}${'ratio'.padStart(9)}  verdict`)
const report = []
for (const c of cases) {
  const ms = median(samples.get(c.name))
  const ratio = ms / reference
  const verdict = c.reference ? 'reference' : ratio <= TARGET ? 'ok' : 'OVER TARGET'
  report.push({name: c.name, medianMs: Number(ms.toFixed(1)), ratio: Number(ratio.toFixed(2)), verdict})
  console.log(
    `${c.name.padEnd(28)}${`${ms.toFixed(1)} ms`.padStart(10)}${`${ratio.toFixed(2)}x`.padStart(9)}  ${verdict}`,
  )
}
if (process.argv.includes('--json')) console.log(JSON.stringify({startup: report}))
