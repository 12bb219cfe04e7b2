import {parse} from 'dotenv'
import {describe, expect, it} from 'vitest'
import {
  commentOutEnvValue,
  envDocumentWarnings,
  formatEnvValue,
  parseEnvDocument,
  replaceEnvValue,
  serializeEnvDocument,
  setEnvValue,
} from '../../../../src/core/config/env-file.js'

describe('parseEnvDocument / serializeEnvDocument', () => {
  it('round-trips a file byte for byte: comments, blanks, export, quotes, multi-line values, CRLF', () => {
    const texts = [
      '# top\n\nA=1\nexport B="two words"\nC=\'x # not a comment\'\nD="line1\nline2"\nE=3 # trailing\n',
      'A=1\r\nB=2\r\n',
      'NO_FINAL_NEWLINE=1',
      '',
    ]
    for (const text of texts) {
      expect(serializeEnvDocument(parseEnvDocument(text))).toBe(text)
    }
  })

  it('reads values the way dotenv does, including a quoted value over several lines', () => {
    const document = parseEnvDocument('A=1\nD="line1\nline2"\nB=after\n')
    expect(document.values).toEqual({A: '1', D: 'line1\nline2', B: 'after'})
    expect(document.lines.map((line) => line.kind)).toEqual(['assignment', 'assignment', 'assignment'])
  })

  it('reports lines that are not KEY=VALUE by number only', () => {
    const document = parseEnvDocument('A=1\nsecret stuff here\n# ok\n')
    expect(envDocumentWarnings(document)).toEqual([{lineNumber: 2, message: 'line 2 is not KEY=VALUE and is ignored'}])
  })
})

describe('setEnvValue', () => {
  it('replaces the effective (last) assignment in place and keeps everything else', () => {
    const document = parseEnvDocument('# c\nA=1\nX=keep\nA=2\n')
    const updated = setEnvValue(document, 'A', '3')
    expect(serializeEnvDocument(updated)).toBe('# c\nA=1\nX=keep\nA=3\n')
    expect(parse(serializeEnvDocument(updated)).A).toBe('3')
  })

  it('appends a new key with its description after a blank line', () => {
    const updated = setEnvValue(parseEnvDocument('A=1\n'), 'B', 'two words', 'The B setting')
    expect(serializeEnvDocument(updated)).toBe("A=1\n\n# The B setting\nB='two words'\n")
  })
})

describe('replaceEnvValue', () => {
  it('keeps the replaced line as a comment after the note, with the new value right below, export kept', () => {
    const updated = replaceEnvValue(parseEnvDocument('A=1\nexport B=bad\nC=2\n'), 'B', '3', 'was invalid')
    expect(serializeEnvDocument(updated)).toBe('A=1\n# was invalid\n# export B=bad\nexport B=3\nC=2\n')
    expect(updated.values.B).toBe('3')
  })

  it('appends a key that has no line yet', () => {
    expect(serializeEnvDocument(replaceEnvValue(parseEnvDocument('A=1\n'), 'B', '2', 'x'))).toBe('A=1\n\nB=2\n')
  })
})

describe('commentOutEnvValue', () => {
  it('keeps the old text as a comment with a note', () => {
    const updated = commentOutEnvValue(parseEnvDocument('A=bad\nB=1\n'), 'A', 'was invalid')
    expect(serializeEnvDocument(updated)).toBe('# was invalid\n# A=bad\nB=1\n')
    expect(updated.values).toEqual({B: '1'})
  })
})

describe('formatEnvValue', () => {
  const tricky = [
    'plain',
    '',
    'two words',
    'has#hash',
    "it's",
    'say "hi"',
    'back\\slash',
    'endswithbackslash\\',
    'line1\nline2',
    'both \' and "',
    '$HOME and ${VAR}',
    ' leading and trailing ',
    'unicode ✓ ünïcödé',
    'a=b=c',
    'postgres://u:p@ss@host:5432/db?ssl=true',
  ]

  it.each(tricky)('writes %j so that dotenv reads it back unchanged', (value) => {
    const text = `KEY=${formatEnvValue(value)}\n`
    expect(parse(text).KEY).toBe(value)
  })

  it('refuses a value dotenv cannot read back rather than writing it wrong', () => {
    expect(() => formatEnvValue('two words ending in a backslash\\')).toThrow('cannot be written')
  })

  it('round-trips random printable strings', () => {
    const alphabet = 'ab Z9#\'"`\\$=:/@ \t!'
    let seed = 42
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
    for (let index = 0; index < 500; index++) {
      const value = Array.from(
        {length: Math.floor(random() * 12)},
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join('')
      let formatted: string
      try {
        formatted = formatEnvValue(value)
      } catch {
        continue // values dotenv cannot represent are refused, never written wrong
      }
      expect(parse(`KEY=${formatted}\n`).KEY, JSON.stringify(value)).toBe(value)
    }
  })
})
