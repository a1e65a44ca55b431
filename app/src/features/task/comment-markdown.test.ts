import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import type { Member } from '../../api/schemas'
import CommentMarkdown from './comment-markdown'

const members = new Map([
  ['u1', { userId: 'u1', name: 'Ada', email: 'ada@example.com', role: 'member' } satisfies Member],
])
const render = (text: string) =>
  renderToStaticMarkup(createElement(CommentMarkdown, { text, membersById: members }))

describe('comment markdown', () => {
  it('renders bold, italics, inline code, code blocks, lists and quotes', () => {
    const html = render(
      '**bold** and _it_ with `x < y`\n\n```\nconst a = 1\n```\n\n- one\n- two\n\n1. first\n\n> quoted',
    )
    expect(html).toContain('<strong>bold</strong>')
    expect(html).toContain('<em>it</em>')
    expect(html).toMatch(/<code[^>]*>x &lt; y<\/code>/)
    expect(html).toMatch(/<pre[^>]*><code[^>]*>const a = 1\n<\/code><\/pre>/)
    expect(html).toMatch(/<ul[^>]*>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/)
    expect(html).toMatch(/<ol[^>]*>\s*<li>first<\/li>\s*<\/ol>/)
    expect(html).toMatch(/<blockquote[^>]*>\s*<p[^>]*>quoted<\/p>\s*<\/blockquote>/)
  })

  it('keeps line breaks inside a paragraph', () => {
    expect(render('line one\nline two')).toMatch(/line one<br\/>line two/)
  })

  it('opens links in a new tab without opener or referrer, and drops javascript: links', () => {
    const html = render('[site](https://example.com) [bad](javascript:alert(1))')
    expect(html).toContain(
      '<a href="https://example.com" target="_blank" rel="noopener noreferrer nofollow"',
    )
    expect(html).not.toContain('javascript:')
  })

  it('turns plain http(s) addresses into links, but not javascript:, e-mail or code', () => {
    const html = render(
      'See https://example.com/a?b=1. and www.example.org, javascript:alert(1) or mail ada@example.com `https://in.code`',
    )
    expect(html).toContain(
      '<a href="https://example.com/a?b=1" target="_blank" rel="noopener noreferrer nofollow"',
    )
    expect(html).toContain('>https://example.com/a?b=1</a>. and')
    expect(html).toContain('<a href="http://www.example.org"')
    expect(html.match(/<a /g)).toHaveLength(2)
    expect(html).toContain('javascript:alert(1) or mail ada@example.com')
    expect(html).toMatch(/<code[^>]*>https:\/\/in.code<\/code>/)
  })

  it('keeps a mention next to a plain address intact', () => {
    const html = render('<@u1> https://example.com/<@u1>')
    expect(html).toContain('>@Ada</span>')
    expect(html).toContain('href="https://example.com/')
  })

  it('renders HTML payloads inert and shows no remote images', () => {
    const html = render(
      '<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\n![tracker](https://evil.example/p.png)',
    )
    expect(html).not.toMatch(/<script|<img|<iframe/i)
    expect(html).not.toMatch(/<[^>]*\sonerror=/i)
    expect(html).toContain('&lt;img src=x onerror=')
    expect(html).toContain('&lt;script&gt;')
    expect(html).not.toContain('evil.example')
    expect(html).toContain('tracker')
  })

  it('turns mention tokens into chips, but not inside code', () => {
    const html = render('Hey <@u1> and <@gone>, see `<@u1>`; **<@__x__>**')
    expect(html.match(/data-testid="mention-chip"/g)).toHaveLength(3)
    expect(html).toContain('>@Ada</span>')
    expect(html).toContain('>@unknown</span>')
    expect(html).toMatch(/<code[^>]*>&lt;@u1&gt;<\/code>/)
  })
})
