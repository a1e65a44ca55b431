import { describe, expect, it } from 'vitest'
import type { Member } from '../api/schemas'
import { presenceFromStates, uniquePeople } from './presence'

const members = new Map<string, Member>([
  ['u-ann', { userId: 'u-ann', email: 'ann@example.com', name: 'Ann', role: 'owner' }],
  ['u-bob', { userId: 'u-bob', email: 'bob@example.com', name: '', role: 'member' }],
])

describe('presence (sync SPEC 4.8)', () => {
  it('names a teammate by the server-stamped user id from the member list, whatever name the state claims', () => {
    // Bob's client claims to be Ann; the server overwrote user.id with his.
    const states = new Map<number, unknown>([
      [1, { user: { id: 'u-ann', name: 'Ann', color: '#f43f5e' } }],
      [2, { user: { id: 'u-bob', name: 'Ann', color: '#f43f5e' }, taskId: 't1' }],
    ])
    const list = presenceFromStates(states, 1, members)
    expect(list).toEqual([
      { clientId: 1, userId: 'u-ann', name: 'Ann', taskId: null, isMe: true },
      { clientId: 2, userId: 'u-bob', name: 'bob@example.com', taskId: 't1', isMe: false },
    ])
    expect(uniquePeople(list).map((p) => p.userId)).toEqual(['u-ann', 'u-bob'])
  })

  it('leaves out teammates who are not members, and shows me from my own state before the member list loads', () => {
    const states = new Map<number, unknown>([
      [1, { user: { id: 'u-me', name: 'Me' } }],
      [2, { user: { id: 'u-eve', name: 'Ann' } }],
      [3, { user: { name: 'no id' } }],
    ])
    expect(presenceFromStates(states, 1, members)).toEqual([
      { clientId: 1, userId: 'u-me', name: 'Me', taskId: null, isMe: true },
    ])
  })
})
