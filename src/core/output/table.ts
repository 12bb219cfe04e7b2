// Plain aligned tables for terminal output; widths ignore ANSI colour codes.

// eslint-disable-next-line no-control-regex -- the escape character is what a colour code starts with
const ANSI = /\u001B\[[0-9;]*m/g

export function visibleWidth(text: string): number {
  return [...text.replace(ANSI, '')].length
}

export interface TableOptions {
  /** Styles a header cell, e.g. bold. */
  header?: (text: string) => string
  /** Longest a column may grow; longer cells are cut with an ellipsis. */
  maxColumnWidth?: number
}

export function renderTable(headers: string[], rows: string[][], options: TableOptions = {}): string {
  const limit = options.maxColumnWidth ?? 60
  const cells = rows.map((row) => row.map((cell) => truncate(cell, limit)))
  const widths = headers.map((header, column) =>
    Math.max(visibleWidth(header), ...cells.map((row) => visibleWidth(row[column] ?? ''))),
  )
  const line = (row: string[], style: (text: string) => string = (text) => text) =>
    row
      .map((cell, column) => {
        const padded = cell + ' '.repeat((widths[column] ?? 0) - visibleWidth(cell))
        return column === row.length - 1 ? style(cell) : style(padded)
      })
      .join('  ')
  return [line(headers, options.header), ...cells.map((row) => line(row))].join('\n')
}

function truncate(text: string, limit: number): string {
  if (visibleWidth(text) <= limit || text.includes('\u001B[')) return text
  return [...text].slice(0, limit - 1).join('') + '…'
}
