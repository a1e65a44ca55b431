import { describe, expect, it } from 'vitest'
import { matchMembers } from './mention-text'

const people = [
  { userId: 'u1', name: 'Bob Stone', email: 'bob@example.com' },
  { userId: 'u2', name: 'Ada Lovelace', email: 'ada@example.com' },
  { userId: 'u3', name: '', email: 'cy@example.com' },
  { userId: 'u4', name: 'Jacob', email: 'jacob@example.com' },
]

describe('matchMembers', () => {
  it('offers everyone for a bare @, in list order', () => {
    expect(matchMembers(people, '').map((m) => m.userId)).toEqual(['u1', 'u2', 'u3', 'u4'])
  })
  it('matches names case-insensitively and puts names starting with the query first', () => {
    expect(matchMembers(people, 'ob').map((m) => m.userId)).toEqual(['u1', 'u4'])
    expect(matchMembers(people, 'JA').map((m) => m.userId)).toEqual(['u4'])
    expect(matchMembers(people, 'b').map((m) => m.userId)).toEqual(['u1', 'u4'])
  })
  it('finds a member without a name by e-mail', () => {
    expect(matchMembers(people, 'cy').map((m) => m.userId)).toEqual(['u3'])
  })
  it('stops at the limit', () => {
    expect(matchMembers(people, '', 2)).toHaveLength(2)
  })
})
