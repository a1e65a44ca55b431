import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { readBytes, readVarUintStrict } from './protocol.js'

/**
 * Awareness (presence) of one room, kept as raw JSON bytes: the server never needs the
 * parsed state, and y-websocket clients echo every remote presence change back, so at 200
 * clients ~98 % of incoming messages are stale echoes. Those are recognised by clock alone
 * and dropped without decoding their JSON (SPEC 4.3).
 *
 * Each present state is held by the connection that introduced it (SPEC 4.6), within
 * per-connection limits (SPEC 4.7), and carries the server's stamp of its user (SPEC 4.8).
 */
interface Entry<Owner> {
  clock: number
  /** JSON bytes relayed to others (the client's, stamped); null once removed. */
  state: Uint8Array | null
  /** JSON bytes as the client sent them: a renewal repeats these. Null once removed. */
  sent: Uint8Array | null
  /** The connection holding the state; null once removed. */
  owner: Owner | null
}

export interface AwarenessLimits {
  /** Client ids one connection may hold a state for at once. */
  maxClientsPerConnection: number
  /** Largest state, in bytes of JSON as the client sent it. */
  maxStateBytes: number
}

export const DEFAULT_AWARENESS_LIMITS: AwarenessLimits = {
  maxClientsPerConnection: 4,
  maxStateBytes: 4096,
}

/** Who sent an awareness update. */
export interface AwarenessSender<Owner> {
  owner: Owner
  /** Signed-in user, stamped into each state as `user.id`; null (insecure-open) = no stamp. */
  userId: string | null
  /** False for client ids this sender may not use (bound to another user, SPEC 7). */
  mayUse?: (clientId: number) => boolean
  /**
   * Another node of the cluster, relaying states its own sockets set: that node already
   * applied the limits and stamps, and a local socket may take such a state over (its
   * client reconnected here).
   */
  remote?: boolean
}

export type AwarenessResult =
  | {
      ok: true
      /** For the other sockets: 'raw' = the incoming update as is, bytes = this update, null = nothing. */
      relay: 'raw' | Uint8Array | null
      /** Renewals are waiting for takeRenewals(). */
      renewed: boolean
      /** Client ids whose state from this update the sender now holds (renewals included). */
      held: number[]
      /** Entries dropped for the sender's client-id cap or the state size (SPEC 4.7). */
      overLimit: number
    }
  | { ok: false; reason: string }

/**
 * Removed client ids whose clock is remembered, to recognise late echoes of their last
 * state. Oldest forgotten first, so removals cannot pile up while a room stays open.
 */
const MAX_TOMBSTONES = 4096

const NULL_STATE = new Uint8Array([0x6e, 0x75, 0x6c, 0x6c]) // "null"
const utf8 = new TextDecoder('utf-8', { fatal: true })
const utf8Encoder = new TextEncoder()

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

function isNullState(bytes: Uint8Array): boolean {
  return (
    bytes.length === 4 &&
    bytes[0] === 0x6e &&
    bytes[1] === 0x75 &&
    bytes[2] === 0x6c &&
    bytes[3] === 0x6c
  )
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The state others receive: the client's JSON object with `user.id` set to `userId` (the
 * rest of `user` kept, `user` created when missing). Honest clients already publish their
 * own id, so their bytes come back unchanged. Null when the state is not a JSON object.
 */
function stamp(sent: Uint8Array, userId: string | null): Uint8Array | null {
  let value: unknown
  try {
    value = JSON.parse(utf8.decode(sent))
  } catch {
    return null
  }
  if (!isPlainObject(value)) return null
  if (userId === null) return sent
  const user = value.user
  // Spread keeps `id` where the client put it, so an honest state re-serialises identically.
  value.user = { ...(isPlainObject(user) ? user : {}), id: userId }
  const stamped = utf8Encoder.encode(JSON.stringify(value))
  return equalBytes(stamped, sent) ? sent : stamped
}

interface Incoming {
  clock: number
  /** A view into the receive buffer. */
  state: Uint8Array
}

interface Change {
  clientId: number
  clock: number
  /** NULL_STATE for a removal. */
  state: Uint8Array
  sent: Uint8Array | null
}

export class RoomAwareness<Owner> {
  readonly #entries = new Map<number, Entry<Owner>>()
  /** Per connection: its user, and the client ids it holds a state for. */
  readonly #owners = new Map<Owner, { userId: string | null; ids: Set<number> }>()
  /** Removed ids still in #entries, oldest first (see MAX_TOMBSTONES). */
  readonly #tombstones = new Set<number>()
  readonly #renewals = new Set<number>()
  /** Owners that are other nodes (see AwarenessSender.remote). */
  readonly #remoteOwners = new Set<Owner>()

  constructor(private readonly limits: AwarenessLimits = DEFAULT_AWARENESS_LIMITS) {}

  /**
   * Applies an incoming awareness update. Never throws. Entries the sender may not set
   * (SPEC 4.6, 4.7) are dropped; `relay` is what the other sockets must receive.
   */
  apply(update: Uint8Array, sender: AwarenessSender<Owner>): AwarenessResult {
    const { owner } = sender
    if (sender.remote) this.#remoteOwners.add(owner)
    const held = this.#owners.get(owner)?.ids.size ?? 0
    // The last accepted entry per client id: a repeated id is judged against the one
    // before it, as applying the entries one by one would.
    const accepted = new Map<number, Incoming>()
    const newIds = new Set<number>()
    let overLimit = 0
    let count: number
    const decoder = decoding.createDecoder(update)
    try {
      count = readVarUintStrict(decoder)
      for (let i = 0; i < count; i++) {
        const clientId = readVarUintStrict(decoder)
        const clock = readVarUintStrict(decoder)
        const state = readBytes(decoder)
        const known = this.#entries.get(clientId)
        const before = accepted.get(clientId)
        const prevClock = before ? before.clock : known?.clock
        const prevPresent = before ? !isNullState(before.state) : known?.state != null
        const isNull = isNullState(state)
        // The same acceptance rule as y-protocols' applyAwarenessUpdate.
        const isNews =
          prevClock === undefined ||
          prevClock < clock ||
          (prevClock === clock && isNull && prevPresent)
        if (!isNews) continue
        // Not ours to change: silently dropped, as honest clients send these too (they
        // time out a remote state and broadcast its removal).
        if (!this.#mayChange(clientId, known, sender)) continue
        if (!isNull && !sender.remote) {
          if (state.length > this.limits.maxStateBytes) {
            overLimit++
            continue
          }
          if (known?.owner !== owner && !newIds.has(clientId)) {
            if (held + newIds.size >= this.limits.maxClientsPerConnection) {
              overLimit++
              continue
            }
            newIds.add(clientId)
          }
        }
        accepted.set(clientId, { clock, state })
      }
      if (decoder.pos !== update.length) return { ok: false, reason: 'trailing bytes' }
    } catch {
      return { ok: false, reason: 'malformed awareness update' }
    }

    // Classify without changing anything, so a bad state leaves the room as it was.
    const changes: Change[] = []
    const renewals: { clientId: number; clock: number }[] = []
    const heldIds: number[] = []
    const tombstoneClocks: { clientId: number; clock: number }[] = []
    let asSent = accepted.size === count
    for (const [clientId, a] of accepted) {
      const known = this.#entries.get(clientId)
      if (isNullState(a.state)) {
        if (known?.state) changes.push({ clientId, clock: a.clock, state: NULL_STATE, sent: null })
        else {
          // Nobody holds a state for it: only a known removal's clock is worth keeping.
          if (known) tombstoneClocks.push({ clientId, clock: a.clock })
          asSent = false
        }
        continue
      }
      heldIds.push(clientId)
      // Renewals (same owner, same state bytes, newer clock) only keep the state from
      // timing out in other clients (y-protocols: renewed every 15 s, dropped after 30 s
      // without one). They are batched (see takeRenewals) instead of fanned out one by one.
      if (known?.state && known.owner === owner && equalBytes(known.sent!, a.state)) {
        renewals.push({ clientId, clock: a.clock })
        asSent = false
        continue
      }
      const stamped = sender.remote ? a.state : stamp(a.state, sender.userId)
      if (!stamped) return { ok: false, reason: 'awareness state is not a JSON object' }
      // Copies: the views point into ws's receive buffer.
      const sent = a.state.slice()
      if (stamped === a.state) changes.push({ clientId, clock: a.clock, state: sent, sent })
      else {
        changes.push({ clientId, clock: a.clock, state: stamped, sent })
        asSent = false
      }
    }

    for (const r of renewals) {
      this.#entries.get(r.clientId)!.clock = r.clock
      this.#renewals.add(r.clientId)
    }
    for (const t of tombstoneClocks) this.#entries.get(t.clientId)!.clock = t.clock
    for (const c of changes) {
      const known = this.#entries.get(c.clientId)
      if (known?.owner != null) this.#owners.get(known.owner)?.ids.delete(c.clientId)
      this.#renewals.delete(c.clientId)
      if (c.sent === null) {
        this.#bury(c.clientId, c.clock)
        continue
      }
      this.#tombstones.delete(c.clientId)
      this.#entries.set(c.clientId, { clock: c.clock, state: c.state, sent: c.sent, owner })
      let record = this.#owners.get(owner)
      if (!record) {
        record = { userId: sender.userId, ids: new Set() }
        this.#owners.set(owner, record)
      }
      record.ids.add(c.clientId)
    }

    const renewed = renewals.length > 0
    const relay = changes.length === 0 ? null : asSent ? 'raw' : this.#encode(changes)
    return { ok: true, relay, renewed, held: heldIds, overLimit }
  }

  /** Client ids whose state or removal clock is kept: what presence costs in memory. */
  get trackedClients(): number {
    return this.#entries.size
  }

  /** The renewals collected since the last call, as one update, or null. */
  takeRenewals(): Uint8Array | null {
    const out: Change[] = []
    for (const clientId of this.#renewals) {
      const e = this.#entries.get(clientId)
      if (e?.state) out.push({ clientId, clock: e.clock, state: e.state, sent: e.sent })
    }
    this.#renewals.clear()
    return out.length > 0 ? this.#encode(out) : null
  }

  /** All present states, or null when there are none (the join/query answer). */
  encodeAll(): Uint8Array | null {
    const present: Change[] = []
    for (const [clientId, e] of this.#entries) {
      if (e.state) present.push({ clientId, clock: e.clock, state: e.state, sent: e.sent })
    }
    return present.length > 0 ? this.#encode(present) : null
  }

  /** Removes every state `owner` holds; returns the removal update to relay, or null. */
  removeOwner(owner: Owner): Uint8Array | null {
    const record = this.#owners.get(owner)
    this.#owners.delete(owner)
    if (!record) return null
    const removed: Change[] = []
    for (const clientId of record.ids) {
      const e = this.#entries.get(clientId)
      if (!e?.state) continue
      const clock = e.clock + 1
      this.#renewals.delete(clientId)
      this.#bury(clientId, clock)
      removed.push({ clientId, clock, state: NULL_STATE, sent: null })
    }
    return removed.length > 0 ? this.#encode(removed) : null
  }

  /**
   * A sender may set or remove a client id's state unless it is bound to another user, or
   * another live connection holds it — except one of the same signed-in user: a reconnect whose old socket is not closed
   * yet (half-open) takes its own presence over instead of waiting for that close.
   */
  #mayChange(
    clientId: number,
    known: Entry<Owner> | undefined,
    sender: AwarenessSender<Owner>,
  ): boolean {
    if (sender.remote) return true
    if (sender.mayUse && !sender.mayUse(clientId)) return false
    const holder = known?.state ? known.owner : null
    if (holder !== null && holder !== sender.owner && !this.#remoteOwners.has(holder)) {
      if (sender.userId === null || this.#owners.get(holder)?.userId !== sender.userId) return false
    }
    return true
  }

  /** Marks `clientId` removed at `clock`, keeping only the newest MAX_TOMBSTONES removals. */
  #bury(clientId: number, clock: number): void {
    this.#entries.set(clientId, { clock, state: null, sent: null, owner: null })
    this.#tombstones.delete(clientId)
    this.#tombstones.add(clientId)
    if (this.#tombstones.size > MAX_TOMBSTONES) {
      const oldest = this.#tombstones.values().next().value!
      this.#tombstones.delete(oldest)
      this.#entries.delete(oldest)
    }
  }

  #encode(entries: readonly Change[]): Uint8Array {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, entries.length)
    for (const e of entries) {
      encoding.writeVarUint(encoder, e.clientId)
      encoding.writeVarUint(encoder, e.clock)
      encoding.writeVarUint8Array(encoder, e.state)
    }
    return encoding.toUint8Array(encoder)
  }
}
