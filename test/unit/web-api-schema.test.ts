// The web app's API types (web/src/api/schema.d.ts) are generated from the API's own OpenAPI
// document: this test regenerates them in memory and fails when the checked-in file differs.
// `npm run gen:api` writes the file instead (UPDATE_API_SCHEMA=1).
import {readFile, writeFile} from 'node:fs/promises'
import {fileURLToPath} from 'node:url'
import openapiTS, {astToString, type OpenAPI3} from 'openapi-typescript'
import * as prettier from 'prettier'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {createTestApp, type TestApp} from '../helpers/api.js'

const SCHEMA_FILE = fileURLToPath(new URL('../../web/src/api/schema.d.ts', import.meta.url))
const HEADER = `// Generated from the API's /openapi.json by \`npm run gen:api\`: do not edit by hand.\n`

/** The TypeScript declarations openapi-typescript writes for the document, in the repository's style. */
async function renderSchema(document: OpenAPI3): Promise<string> {
  const source = HEADER + astToString(await openapiTS(document))
  const options = (await prettier.resolveConfig(SCHEMA_FILE)) ?? {}
  return prettier.format(source, {...options, filepath: SCHEMA_FILE})
}

describe('web API types', () => {
  let api: TestApp
  beforeAll(async () => {
    api = await createTestApp()
  })
  afterAll(() => api.close())

  it('match the API document (npm run gen:api regenerates them)', async () => {
    const response = await api.app.inject({method: 'GET', url: '/openapi.json'})
    expect(response.statusCode).toBe(200)
    const expected = await renderSchema(response.json<OpenAPI3>())
    const actual = await readFile(SCHEMA_FILE, 'utf8').catch(() => '')
    if (actual !== expected && process.env.UPDATE_API_SCHEMA === '1') {
      await writeFile(SCHEMA_FILE, expected)
      return
    }
    expect(actual, 'web/src/api/schema.d.ts is out of date: run npm run gen:api').toBe(expected)
  })
})
