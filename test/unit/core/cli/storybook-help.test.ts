// StorybookHelp against a real oclif configuration: a throwaway CLI with two commands and a topic.
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Config} from '@oclif/core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {StorybookHelp} from '../../../../src/core/cli/command-not-found.js'
import type {CommandPrefix} from '../../../../src/core/cli/invocation.js'
import type {StorybookError} from '../../../../src/core/errors.js'

const oclifCore = createRequire(import.meta.url).resolve('@oclif/core')

let root: string
let config: Config
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'storybook-help-'))
  const pjson = {
    name: 'storybook-toolkit',
    version: '0.0.0',
    oclif: {
      bin: 'storybook',
      topicSeparator: ' ',
      commands: {strategy: 'explicit', target: './commands.cjs', identifier: 'COMMANDS'},
      topics: {db: {description: 'The database'}},
    },
  }
  await writeFile(join(root, 'package.json'), JSON.stringify(pjson))
  await writeFile(
    join(root, 'commands.cjs'),
    `const {Command} = require(${JSON.stringify(oclifCore)})
class Status extends Command {
  static description = 'Show each service'
  static examples = ['<%= config.bin %> <%= command.id %> --json', 'A=1 <%= config.bin %> <%= command.id %>']
  async run() {}
}
class Reset extends Command {
  static description = 'Drop every table'
  async run() {}
}
exports.COMMANDS = {status: Status, 'db:reset': Reset}
`,
  )
  config = await Config.load(root)
})
afterAll(async () => {
  await rm(root, {recursive: true, force: true})
})

/** The help as a person without storybook on PATH sees it, with what it printed and answered. */
function helpFor(prefix: CommandPrefix) {
  const printed: string[] = []
  const answered: StorybookError[] = []
  class Help extends StorybookHelp {
    static override prefix(): CommandPrefix {
      return prefix
    }
    protected override log(...args: string[]): void {
      printed.push(args.join(' '))
    }
    protected override answerUnknown(error: StorybookError): void {
      answered.push(error)
    }
  }
  return {help: new Help(config), printed, answered}
}

describe('StorybookHelp', () => {
  it('writes usage lines and examples the way this shell runs storybook', async () => {
    const {help, printed} = helpFor('npx storybook')
    await help.showHelp(['status'])
    const text = printed.join('\n')
    expect(text).toContain('$ npx storybook status')
    expect(text).toContain('$ npx storybook status --json')
    expect(text).toContain('A=1 npx storybook status')
    expect(text.split('\n').filter((line) => /(?<!npx )storybook status/.test(line))).toEqual([])
    // The configuration itself keeps the bin's name for everything else.
    expect(config.bin).toBe('storybook')
  })

  it('keeps storybook when that is what runs here', async () => {
    const {help, printed} = helpFor('storybook')
    await help.showHelp([])
    expect(printed.join('\n')).toContain('$ storybook [COMMAND]')
  })

  it('answers help for an unknown subject as an unknown command, with the closest one', async () => {
    const {help, answered} = helpFor('npx storybook')
    await help.showHelp(['staus'])
    await help.showHelp(['db', 'rest'])
    expect(answered.map((error) => [error.code, error.message])).toEqual([
      ['UNKNOWN_COMMAND', '"staus" is not a storybook command. Did you mean "status"?'],
      ['UNKNOWN_COMMAND', '"db rest" is not a storybook command. Did you mean "db reset"?'],
    ])
    expect(answered[1]?.next).toEqual(['storybook db reset --help'])
  })
})
