// The README's configuration and exit-code tables must match the code. `npm run docs` regenerates them.
import {readFile, writeFile} from 'node:fs/promises'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {renderConfigTable, renderExitCodeTable} from '../../src/core/config/docs.js'

const README = fileURLToPath(new URL('../../README.md', import.meta.url))

describe.each([
  ['config-table', renderConfigTable],
  ['exit-codes', renderExitCodeTable],
])('README section %s', (name, render) => {
  it('is generated from the code', async () => {
    const [start, end] = [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`]
    const text = await readFile(README, 'utf8')
    const from = text.indexOf(start)
    const to = text.indexOf(end)
    expect(from, `README needs the ${name} markers`).toBeGreaterThan(-1)
    const actual = text.slice(from, to + end.length)
    const expected = `${start}\n${render()}\n${end}`
    if (actual !== expected && process.env.UPDATE_README === '1') {
      await writeFile(README, text.replace(actual, expected))
      return
    }
    expect(actual, `README ${name} is out of date: run npm run docs`).toBe(expected)
  })
})
