/**
 * One WebSocket client as the server sees it: its socket, the peer id bound to it, and its liveness and
 * rate-limit state.
 *
 * @since 0.1.0
 */
import type { LeftReason } from "@remotemedia/signaling-protocol"
import type { Fiber } from "effect"
import type { WebSocket } from "ws"
import type { RateLimiter } from "./RateLimiter.ts"

export class ClientConnection {
  readonly socket: WebSocket
  readonly limiter: RateLimiter
  /** The peer id bound by a successful `peer.announce`. */
  peerId: string | undefined = undefined
  /** Monotonic time of the last data frame (pongs do not count). */
  lastDataAt: number
  missedPongs = 0
  /** Set once the server has let go of this connection (closed, replaced, or the socket dropped). */
  detached = false
  /** Why the server closed it, when it did (decides `peer.left.reason`). */
  closeReason: LeftReason | undefined = undefined
  liveness: Fiber.Fiber<unknown, unknown> | undefined = undefined

  constructor(socket: WebSocket, limiter: RateLimiter, now: number) {
    this.socket = socket
    this.limiter = limiter
    this.lastDataAt = now
  }

  send(text: string): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(text)
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) this.socket.close(code, reason)
  }
}
