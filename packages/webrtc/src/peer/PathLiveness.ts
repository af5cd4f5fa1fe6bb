/**
 * Whether packets still arrive on a connection's ICE path. werift reports a dead path only when consent
 * expires, 30 s after the last consent response (werift 0.25 `CONSENT_TIMEOUT`), and never reports
 * `disconnected`; browsers report `disconnected` within seconds. We watch the selected candidate pair's
 * receive counters instead: silence turns into `disconnected`, and the PeerActor's grace decides the rest.
 *
 * @since 0.2.0
 */
import type { RTCPeerConnection } from "werift"

/**
 * How long a path may stay silent before it counts as disconnected. Even an idle connection hears a consent
 * check or response about every 2.5 s (each side checks every 4-6 s), so 3 s of silence plus the grace is an
 * outage, not a quiet moment.
 */
export const silenceBeforeDisconnectedMs = 3_000

/** Packets, checks and check responses received on the selected pair of each of the connection's ICE transports. */
export const packetsHeard = (connection: RTCPeerConnection): number => {
  let heard = 0
  for (const transport of connection.iceTransports) {
    const pair = transport.connection.nominated
    if (pair !== undefined) heard += pair.packetsReceived + pair.requestsReceived + pair.responsesReceived
  }
  return heard
}

/** Turns counter samples into transitions: `"silent"` once nothing arrived for `silenceMs`, `"heard"` when it resumes. */
export class SilenceDetector {
  readonly #silenceMs: number
  #count = -1
  #lastHeardAt = 0
  #silent = false

  constructor(silenceMs: number) {
    this.#silenceMs = silenceMs
  }

  /** Feeds the counter's value at `nowMs`; returns a transition, if this sample made one. */
  observe(count: number, nowMs: number): "silent" | "heard" | undefined {
    if (count !== this.#count) {
      this.#count = count
      this.#lastHeardAt = nowMs
      if (!this.#silent) return undefined
      this.#silent = false
      return "heard"
    }
    if (this.#silent || nowMs - this.#lastHeardAt < this.#silenceMs) return undefined
    this.#silent = true
    return "silent"
  }
}
