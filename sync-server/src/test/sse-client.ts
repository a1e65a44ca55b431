import { waitFor } from '../sync/sync-test-utils.js'

export interface SseEvent {
  event: string
  data: any
}

/** A reader of one Server-Sent Events response, as a browser's fetch-streaming client sees it. */
export interface SseClient {
  /** Every event received so far (comments such as `: ping` are skipped). */
  events: SseEvent[]
  hasEnded(): boolean
  /** Waits until the server ends the stream; fails with `label` if it does not. */
  untilEnded(label: string): Promise<void>
  /** Waits until an event matching `match` has arrived (at index `from` or later); returns it. */
  next(match: (e: SseEvent) => boolean, label: string, from?: number): Promise<SseEvent>
  /** Ends the stream from the client side. */
  close(): Promise<void>
}

/** Starts reading `res`, which must be an open `text/event-stream` response. */
export function readSse(res: Response): SseClient {
  const reader = res.body!.getReader()
  const events: SseEvent[] = []
  let done = false
  const ended = (async () => {
    const decoder = new TextDecoder()
    let buf = ''
    try {
      for (;;) {
        const { value, done: end } = await reader.read()
        if (end) return
        buf += decoder.decode(value, { stream: true })
        for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
          const block = buf.slice(0, i)
          buf = buf.slice(i + 2)
          const event = /^event: (.*)$/m.exec(block)?.[1]
          const data = /^data: (.*)$/m.exec(block)?.[1]
          if (event && data) events.push({ event, data: JSON.parse(data) })
        }
      }
    } catch {
      // cancelled or cut: the stream is over either way
    } finally {
      done = true
    }
  })()
  return {
    events,
    hasEnded: () => done,
    untilEnded: (label) => waitFor(() => done, label),
    async next(match, label, from = 0) {
      const found = () => events.slice(from).find(match)
      await waitFor(() => found() !== undefined, label)
      return found()!
    },
    async close() {
      await reader.cancel().catch(() => {})
      await ended
    },
  }
}
