import {describe, expect, it} from 'vitest'
import {MASK, maskUrlPassword, maskValue} from '../../../../src/core/config/mask.js'
import {terminalSettings, type TerminalInput} from '../../../../src/core/config/terminal.js'

describe('maskValue', () => {
  it('hides secrets whole and passwords inside URLs', () => {
    expect(maskValue('abc', true)).toBe(MASK)
    expect(maskValue('8000', false)).toBe('8000')
    expect(maskUrlPassword('postgres://story:hunter2@db:5432/x')).toBe(`postgres://story:${MASK}@db:5432/x`)
  })

  it('hides a password that itself holds @, / or :', () => {
    const masked = maskUrlPassword('postgres://u:p@ss/w:rd@127.0.0.1/db')
    expect(masked).toBe(`postgres://u:${MASK}@127.0.0.1/db`)
    expect(masked).not.toContain('ss/w')
  })

  it('leaves URLs without a password alone', () => {
    expect(maskUrlPassword('postgres://user@host/db')).toBe('postgres://user@host/db')
    expect(maskUrlPassword('sqlite:var/data/x.db')).toBe('sqlite:var/data/x.db')
  })
})

describe('terminalSettings', () => {
  const tty: TerminalInput = {env: {}, stdoutIsTTY: true, stderrIsTTY: true, stdinIsTTY: true}
  const pipe: TerminalInput = {env: {}, stdoutIsTTY: false, stderrIsTTY: false, stdinIsTTY: false}

  it('uses colour and prompts on a terminal only', () => {
    expect(terminalSettings(tty)).toEqual({color: true, interactive: true, debug: false})
    expect(terminalSettings(pipe)).toEqual({color: false, interactive: false, debug: false})
  })

  it('honours NO_COLOR, FORCE_COLOR and the flag, in that order of strength: flag, NO_COLOR, FORCE_COLOR', () => {
    expect(terminalSettings({...tty, env: {NO_COLOR: '1'}}).color).toBe(false)
    expect(terminalSettings({...tty, env: {NO_COLOR: ''}}).color).toBe(true)
    expect(terminalSettings({...pipe, env: {FORCE_COLOR: '1'}}).color).toBe(true)
    expect(terminalSettings({...pipe, env: {FORCE_COLOR: '0'}}).color).toBe(false)
    expect(terminalSettings({...pipe, env: {NO_COLOR: '1', FORCE_COLOR: '1'}}).color).toBe(false)
    expect(terminalSettings({...tty, colorFlag: false}).color).toBe(false)
    expect(terminalSettings({...pipe, env: {NO_COLOR: '1'}, colorFlag: true}).color).toBe(true)
  })

  it('never prompts in CI or on a dumb terminal', () => {
    expect(terminalSettings({...tty, env: {CI: 'true'}}).interactive).toBe(false)
    expect(terminalSettings({...tty, env: {TERM: 'dumb'}}).interactive).toBe(false)
  })

  it('turns on debug output with --verbose or DEBUG', () => {
    expect(terminalSettings({...pipe, verbose: true}).debug).toBe(true)
    expect(terminalSettings({...pipe, env: {DEBUG: '*'}}).debug).toBe(true)
  })
})

describe('maskUrlPassword with secrets in the query string', () => {
  it('hides password, token and key parameters', () => {
    expect(maskUrlPassword('postgres://h/db?password=x&sslmode=require')).toBe(
      `postgres://h/db?password=${MASK}&sslmode=require`,
    )
    expect(maskUrlPassword('https://img.test/v1?api_key=abc')).toBe(`https://img.test/v1?api_key=${MASK}`)
  })
})
