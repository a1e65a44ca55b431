import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { readBytes, readVarUintStrict } from './protocol.js'

/**
 * Awareness (presence) of one room, kept as raw JSON bytes: the server never needs the
 * parsed state, and y-websocket clients echo every remote presence change back, so at 200
 * clients ~98 % of incoming messages are stale echoes. Those are recognised by clock alone
 * and dropped without decoding their JSON (SPEC 4.3).
 */
interface Entry<Owner> {
  clock: number
  /** JSON bytes of the state; null once removed (the clock is kept to reject late echoes). */
  state: Uint8Array | null
  owner: Owner | null
}

export type AwarenessResult =
  | { ok: true; relay: 'all' | 'none'; renewed: boolean }
  | { ok: true; relay: 'some'; update: Uint8Array; renewed: boolean }
  | { ok: false; reason: string }

const NULL_STATE = new Uint8Array([0x6e, 0x75, 0x6c, 0x6c]) // "null"
const utf8 = new TextDecoder('utf-8', { fatal: true })

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

export class RoomAwareness<Owner> {
  readonly #entries = new Map<number, Entry<Owner>>()
  /** Client ids each owner introduced; removed for everyone when the owner leaves. */
  readonly #owned = new Map<Owner, Set<number>>()
  readonly #renewals = new Set<number>()

  /**
   * Applies an incoming awareness update from `owner`. Never throws. `relay` says whether
   * the original message can be relayed as is ('all'), must not be ('none'), or only the
   * returned subset is news ('some'); `renewed` that renewals wait for takeRenewals().
   */
  apply(update: Uint8Array, owner: Owner): AwarenessResult {
    const decoder = decoding.createDecoder(update)
    const fresh: { clientId: number; clock: number; state: Uint8Array }[] = []
    let count: number
    try {
      count = readVarUintStrict(decoder)
      for (let i = 0; i < count; i++) {
        const clientId = readVarUintStrict(decoder)
        const clock = readVarUintStrict(decoder)
        const state = readBytes(decoder)
        const known = this.#entries.get(clientId)
        const isNull = isNullState(state)
        // The same acceptance rule as y-protocols' applyAwarenessUpdate.
        const isNews = known
          ? known.clock < clock || (known.clock === clock && isNull && known.state !== null)
          : true
        if (isNews) fresh.push({ clientId, clock, state })
      }
      if (decoder.pos !== update.length) return { ok: false, reason: 'trailing bytes' }
    } catch {
      return { ok: false, reason: 'malformed awareness update' }
    }
    // Renewals (same owner, same state bytes, newer clock) only keep the state from timing
    // out in other clients (y-protocols: renewed every 15 s, dropped after 30 s without one).
    // They are batched (see takeRenewals) instead of fanned out one by one.
    const changed: typeof fresh = []
    for (const f of fresh) {
      const known = this.#entries.get(f.clientId)
      if (known?.state && known.owner === owner && equalBytes(known.state, f.state)) {
        known.clock = f.clock
        this.#renewals.add(f.clientId)
        continue
      }
      if (isNullState(f.state)) {
        if (known?.state) changed.push(f)
        else this.#entries.set(f.clientId, { clock: f.clock, state: null, owner: null })
        continue
      }
      try {
        JSON.parse(utf8.decode(f.state))
      } catch {
        return { ok: false, reason: 'awareness state is not JSON' }
      }
      changed.push(f)
    }
    for (const f of changed) {
      const known = this.#entries.get(f.clientId)
      if (known?.owner != null && known.owner !== owner)
        this.#owned.get(known.owner)?.delete(f.clientId)
      this.#renewals.delete(f.clientId)
      if (isNullState(f.state)) {
        this.#entries.set(f.clientId, { clock: f.clock, state: null, owner: null })
        this.#owned.get(owner)?.delete(f.clientId)
        continue
      }
      // Copy: the view points into ws's receive buffer.
      this.#entries.set(f.clientId, { clock: f.clock, state: f.state.slice(), owner })
      const ids = this.#owned.get(owner) ?? new Set<number>()
      this.#owned.set(owner, ids)
      ids.add(f.clientId)
    }
    const renewed = fresh.length - changed.length > 0
    if (changed.length === 0) return { ok: true, relay: 'none', renewed }
    if (changed.length === count) return { ok: true, relay: 'all', renewed }
    return { ok: true, relay: 'some', update: this.#encode(changed), renewed }
  }

  /** The renewals collected since the last call, as one update, or null. */
  takeRenewals(): Uint8Array | null {
    const out: { clientId: number; clock: number; state: Uint8Array }[] = []
    for (const clientId of this.#renewals) {
      const e = this.#entries.get(clientId)
      if (e?.state) out.push({ clientId, clock: e.clock, state: e.state })
    }
    this.#renewals.clear()
    return out.length > 0 ? this.#encode(out) : null
  }

  /** All present states, or null when there are none (the join/query answer). */
  encodeAll(): Uint8Array | null {
    const present: { clientId: number; clock: number; state: Uint8Array }[] = []
    for (const [clientId, e] of this.#entries) {
      if (e.state) present.push({ clientId, clock: e.clock, state: e.state })
    }
    return present.length > 0 ? this.#encode(present) : null
  }

  /** Removes every state `owner` introduced; returns the removal update to relay, or null. */
  removeOwner(owner: Owner): Uint8Array | null {
    const ids = this.#owned.get(owner)
    this.#owned.delete(owner)
    if (!ids) return null
    const removed: { clientId: number; clock: number; state: Uint8Array }[] = []
    for (const clientId of ids) {
      const e = this.#entries.get(clientId)
      if (!e?.state) continue
      const clock = e.clock + 1
      this.#entries.set(clientId, { clock, state: null, owner: null })
      removed.push({ clientId, clock, state: NULL_STATE })
    }
    return removed.length > 0 ? this.#encode(removed) : null
  }

  #encode(entries: readonly { clientId: number; clock: number; state: Uint8Array }[]): Uint8Array {
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
