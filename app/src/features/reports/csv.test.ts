import { describe, expect, it } from 'vitest'
import { toCsv } from './csv'

interface Row {
  title: string
  count: number | null
}
const columns = [
  { header: 'Title', value: (r: Row) => r.title },
  { header: 'Count', value: (r: Row) => r.count },
]

describe('toCsv', () => {
  it('writes a header line and one line per row, ending every line with CRLF', () => {
    expect(toCsv(columns, [{ title: 'Write copy', count: 3 }])).toBe(
      'Title,Count\r\nWrite copy,3\r\n',
    )
  })

  it('writes only the header when there are no rows', () => {
    expect(toCsv(columns, [])).toBe('Title,Count\r\n')
  })

  it('quotes fields holding commas, quotes or line breaks and doubles inner quotes', () => {
    const csv = toCsv(columns, [
      { title: 'Fix login, signup', count: 1 },
      { title: 'Say "hello"', count: 2 },
      { title: 'Two\nlines', count: 3 },
    ])
    expect(csv.split('\r\n')).toEqual([
      'Title,Count',
      '"Fix login, signup",1',
      '"Say ""hello""",2',
      '"Two\nlines",3',
      '',
    ])
  })

  it('keeps leading and trailing spaces by quoting the field', () => {
    expect(toCsv(columns, [{ title: ' padded ', count: 0 }])).toContain('" padded ",0')
  })

  it('leaves missing values empty', () => {
    expect(toCsv(columns, [{ title: 'No count', count: null }])).toContain('No count,\r\n')
  })

  it('defuses text a spreadsheet would run as a formula, but not negative numbers', () => {
    const csv = toCsv(
      [
        { header: 'Title', value: (r: { t: string; n: number }) => r.t },
        { header: 'N', value: (r: { t: string; n: number }) => r.n },
      ],
      [{ t: '=HYPERLINK("http://evil")', n: -2 }],
    )
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")",-2`)
  })
})
