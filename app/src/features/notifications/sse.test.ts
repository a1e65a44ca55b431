import { describe, expect, it } from 'vitest'
import { parseSse } from './sse'

describe('parseSse', () => {
  it('splits complete events, skips comments and keeps the partial rest', () => {
    const r = parseSse(
      'event: unread\ndata: {"count":1}\n\n: ping\n\nevent: notification\ndata: {"id"',
    )
    expect(r.events).toEqual([{ event: 'unread', data: '{"count":1}' }])
    expect(r.rest).toBe('event: notification\ndata: {"id"')
  })

  it('joins multi-line data and accepts CRLF', () => {
    const r = parseSse('data: a\r\ndata: b\r\n\r\n')
    expect(r.events).toEqual([{ event: 'message', data: 'a\nb' }])
    expect(r.rest).toBe('')
  })
})
