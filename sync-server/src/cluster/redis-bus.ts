import { Redis } from 'ioredis'
import type { Logger } from '../logger.js'
import {
  type ControlEvent,
  decodeSyncMessage,
  encodeSyncMessage,
  type SyncMessage,
} from './bus-messages.js'

/** What a node does with what the others publish. Handlers must not throw. */
export interface BusHandlers {
  sync(m: SyncMessage): void
  control(node: string, event: ControlEvent): void
  /** The subscription is back after Redis was unreachable: messages may have been lost. */
  resubscribed(): void
}

/** Test seam: return true to drop an incoming document message (a lost pub/sub message). */
export type DropIncoming = (m: SyncMessage) => boolean

/**
 * Redis pub/sub between the nodes: one binary channel for document traffic (updates with
 * their seqs, presence) and one JSON channel for control events. Pub/sub delivers at most
 * once; nothing here is the record — the database is (see ClusterLog).
 */
export class RedisBus {
  readonly #pub: Redis
  readonly #sub: Redis
  readonly #syncChannel: string
  readonly #controlChannel: string
  #lostConnection = false

  constructor(
    url: string,
    prefix: string,
    readonly node: string,
    private readonly logger: Logger,
    private readonly dropIncoming?: DropIncoming,
  ) {
    const options = {
      // Publishing never waits for a reconnect: a message that cannot go now is lost,
      // and the receivers' catch-up reads it from the database.
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: (times: number) => Math.min(times * 100, 1000),
    }
    this.#pub = new Redis(url, { ...options, lazyConnect: true })
    this.#sub = new Redis(url, { ...options, lazyConnect: true })
    this.#syncChannel = `${prefix}:sync`
    this.#controlChannel = `${prefix}:control`
    for (const client of [this.#pub, this.#sub]) {
      client.on('error', (err: Error) => this.logger.debug('redis error', { err: String(err) }))
    }
  }

  /** Connects and subscribes; rejects when Redis cannot be reached. */
  async start(handlers: BusHandlers): Promise<void> {
    this.#sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      const name = channel.toString()
      if (name === this.#syncChannel) {
        const m = decodeSyncMessage(message)
        if (!m || m.node === this.node || this.dropIncoming?.(m)) return
        handlers.sync(m)
      } else if (name === this.#controlChannel) {
        let parsed: { node: string; event: ControlEvent }
        try {
          parsed = JSON.parse(message.toString())
        } catch {
          return
        }
        if (parsed.node !== this.node) handlers.control(parsed.node, parsed.event)
      }
    })
    this.#sub.on('close', () => {
      this.#lostConnection = true
    })
    this.#sub.on('ready', () => {
      if (!this.#lostConnection) return
      this.#lostConnection = false
      this.logger.info('redis subscription restored')
      handlers.resubscribed()
    })
    await this.#pub.connect()
    await this.#sub.connect()
    await this.#sub.subscribe(this.#syncChannel, this.#controlChannel)
  }

  /** Never throws: a message that cannot be published is lost (receivers catch up). */
  publish(m: SyncMessage): void {
    this.#send(this.#syncChannel, Buffer.from(encodeSyncMessage(m)))
  }

  control(event: ControlEvent): void {
    this.#send(this.#controlChannel, JSON.stringify({ node: this.node, event }))
  }

  /** Whether Redis answers now (readiness). */
  async ping(): Promise<boolean> {
    if (this.#pub.status !== 'ready') return false
    try {
      return (await this.#pub.ping()) === 'PONG'
    } catch {
      return false
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.#sub.quit(), this.#pub.quit()])
    this.#sub.disconnect()
    this.#pub.disconnect()
  }

  #send(channel: string, payload: Buffer | string): void {
    if (this.#pub.status !== 'ready') return
    this.#pub.publish(channel, payload).catch((err: unknown) => {
      this.logger.debug('redis publish failed', { channel, err: String(err) })
    })
  }
}
