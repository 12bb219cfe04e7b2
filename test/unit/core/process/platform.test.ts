// The macOS and Windows port lookups, against output recorded from lsof and netstat.
import {createServer} from 'node:net'
import {describe, expect, it} from 'vitest'
import {platformFor} from '../../../../src/core/process/platform/index.js'
import {parseLsof, parseLsofProcesses, parseNetstat} from '../../../../src/core/process/platform/parsers.js'

const LSOF = `p4242
cnode
f23
`

const NETSTAT = `
Active Connections

  Proto  Local Address          Foreign Address        State           PID
  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1012
  TCP    0.0.0.0:8000           0.0.0.0:0              LISTENING       5316
  TCP    127.0.0.1:8000         127.0.0.1:53122        ESTABLISHED     5316
  TCP    127.0.0.1:53122        127.0.0.1:8000         ESTABLISHED     7788
  TCP    [::]:3000              [::]:0                 ABHÖREN         9120
`

describe('parseLsof', () => {
  it('reads the pid and command of the listener', () => {
    expect(parseLsof(LSOF, 8000)).toEqual({pid: 4242, command: 'node'})
    expect(parseLsof('', 8000)).toBeUndefined()
  })
})

describe('parseLsofProcesses', () => {
  it('reads every process that has the file open', () => {
    expect(parseLsofProcesses('p101\ncsqlite3\nf3\np202\ncnode\nf12\nf13\n')).toEqual([
      {pid: 101, command: 'sqlite3'},
      {pid: 202, command: 'node'},
    ])
    expect(parseLsofProcesses('')).toEqual([])
  })
})

describe('parseNetstat', () => {
  it('finds the listener, not a client connected to the port, and reads localised output', () => {
    expect(parseNetstat(NETSTAT, 8000)).toEqual({pid: 5316, command: 'PID 5316'})
    expect(parseNetstat(NETSTAT, 3000)).toEqual({pid: 9120, command: 'PID 9120'})
    expect(parseNetstat(NETSTAT, 53122)).toBeUndefined()
    expect(parseNetstat(NETSTAT, 9999)).toBeUndefined()
  })
})

describe('the Linux lookup', () => {
  it('finds a listener opened after other connections (the table is read only up to its listeners)', async () => {
    const busy = createServer((socket) => socket.on('error', () => {})).listen(0, '127.0.0.1')
    await new Promise((resolve) => busy.once('listening', resolve))
    const {connect} = await import('node:net')
    const clients = await Promise.all(
      Array.from(
        {length: 5},
        () =>
          new Promise<import('node:net').Socket>((resolve) => {
            const socket = connect((busy.address() as {port: number}).port, '127.0.0.1', () => resolve(socket))
          }),
      ),
    )
    const server = createServer().listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    try {
      expect(
        (await platformFor('linux').processes.portOwners((server.address() as {port: number}).port))[0],
      ).toMatchObject({pid: process.pid})
      expect(
        (await platformFor('linux').processes.portOwners((busy.address() as {port: number}).port))[0],
      ).toMatchObject({pid: process.pid})
    } finally {
      for (const client of clients) client.destroy()
      server.close()
      busy.close()
    }
  })

  it('finds this process listening on a port, from /proc', async () => {
    const server = createServer().listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    try {
      const {port} = server.address() as {port: number}
      expect((await platformFor('linux').processes.portOwners(port))[0]).toMatchObject({pid: process.pid})
    } finally {
      server.close()
    }
  })
})

describe('the Linux file holders lookup', () => {
  it('finds this process holding a file open, and nobody for a closed one', async () => {
    const {mkdtemp, open, rm, writeFile} = await import('node:fs/promises')
    const {join} = await import('node:path')
    const {tmpdir} = await import('node:os')
    const folder = await mkdtemp(join(tmpdir(), 'storybook-holders-'))
    const file = join(folder, 'data.db')
    await writeFile(file, '')
    const handle = await open(file, 'r')
    try {
      expect(platformFor('linux').processesUsingFile(file)).toEqual([expect.objectContaining({pid: process.pid})])
      expect(platformFor('linux').processesUsingFile(join(folder, 'other.db'))).toEqual([])
    } finally {
      await handle.close()
      await rm(folder, {recursive: true, force: true})
    }
  })
})
