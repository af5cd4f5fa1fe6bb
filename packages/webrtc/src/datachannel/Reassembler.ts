/**
 * Bounded reassembly of chunked messages (pure, synchronous: the receive hot path).
 *
 * @since 0.1.0
 */
import { Result } from "effect"
import { decodeFrame, type FrameKind, MAX_MESSAGE_BYTES, rejected } from "./frameCodec.ts"
import type { InboundRejected, InboundRejectionReason } from "./InboundRejected.ts"

/** Bounds that keep a hostile or broken sender from exhausting the receiver's memory. */
export interface ReassemblyLimits {
  /** Largest message accepted (payload bytes). */
  readonly maxMessageBytes: number
  /** Messages that may be partially received at once. */
  readonly maxPartialMessages: number
  /** Bytes reserved by all partial messages together (each reserves its declared `totalLength`). */
  readonly maxPartialBytes: number
}

/** Defaults: one 16 MiB message may be in flight next to a few small interleaved ones. */
export const defaultReassemblyLimits: ReassemblyLimits = {
  maxMessageBytes: MAX_MESSAGE_BYTES,
  maxPartialMessages: 8,
  maxPartialBytes: MAX_MESSAGE_BYTES + 4 * 1024 * 1024
}

/** A completely received message payload. */
export interface ReassembledPayload {
  readonly kind: FrameKind
  readonly messageId: number
  readonly bytes: Uint8Array
}

interface Partial {
  readonly kind: FrameKind
  readonly bytes: Uint8Array
  received: number
}

/**
 * Feeds frames in arrival order; returns the payload a frame completes (`undefined` while a message is
 * incomplete) or what was dropped:
 * - the frame itself (malformed header, unknown message id, a message over the budget on its own);
 * - the frame and its partial message, when it breaks that message's chunk sequence;
 * - for `TooManyPartialMessages` / `ReassemblyBudgetExceeded`, the OLDEST partial messages, evicted so the
 *   new message fits (the frame itself is accepted).
 * Memory held is at most `maxPartialBytes`.
 */
export class Reassembler {
  readonly #limits: ReassemblyLimits
  readonly #partials = new Map<number, Partial>()
  #reservedBytes = 0

  constructor(limits: ReassemblyLimits = defaultReassemblyLimits) {
    this.#limits = limits
  }

  /** Bytes reserved by partial messages right now. */
  get reservedBytes(): number {
    return this.#reservedBytes
  }

  /** Messages partially received right now. */
  get partialMessages(): number {
    return this.#partials.size
  }

  push(frameBytes: Uint8Array): Result.Result<ReassembledPayload | undefined, InboundRejected> {
    const decoded = decodeFrame(frameBytes, this.#limits.maxMessageBytes)
    if (Result.isFailure(decoded)) return Result.fail(decoded.failure)
    const { kind, messageId, totalLength, offset, chunk } = decoded.success
    const partial = this.#partials.get(messageId)
    if (offset === 0) {
      if (partial !== undefined) {
        return Result.fail(rejected("DuplicateMessageId", `message ${messageId} starts again while still being received`))
      }
      if (chunk.byteLength === totalLength) return Result.succeed({ kind, messageId, bytes: chunk })
      return this.#start(kind, messageId, totalLength, chunk)
    }
    if (partial === undefined) {
      return Result.fail(rejected("UnknownMessageId", `chunk at offset ${offset} of message ${messageId}, which is not being received`))
    }
    if (partial.kind !== kind || partial.bytes.byteLength !== totalLength) {
      this.#discard(messageId, partial)
      return Result.fail(rejected("HeaderMismatch", `message ${messageId} changed its kind or length between chunks`))
    }
    if (offset !== partial.received) {
      this.#discard(messageId, partial)
      return Result.fail(rejected("OffsetMismatch", `message ${messageId}: chunk at offset ${offset}, expected ${partial.received}`))
    }
    partial.bytes.set(chunk, offset)
    partial.received += chunk.byteLength
    if (partial.received < totalLength) return Result.succeed(undefined)
    this.#discard(messageId, partial)
    return Result.succeed({ kind, messageId, bytes: partial.bytes })
  }

  // Makes room by evicting the oldest partial messages: a sender that follows the rules never has more
  // than one message partial, so the stale ones are the broken or hostile ones, and the channel heals.
  #start(kind: FrameKind, messageId: number, totalLength: number, chunk: Uint8Array) {
    const { maxPartialMessages, maxPartialBytes } = this.#limits
    if (totalLength > maxPartialBytes) {
      return Result.fail(rejected("ReassemblyBudgetExceeded", `message ${messageId} needs ${totalLength} bytes, more than the ${maxPartialBytes}-byte reassembly budget`))
    }
    const evicted: Array<number> = []
    let reason: InboundRejectionReason = "TooManyPartialMessages"
    for (const [oldId, old] of this.#partials) {
      const full = this.#partials.size >= maxPartialMessages
      if (!full && this.#reservedBytes + totalLength <= maxPartialBytes) break
      if (!full) reason = "ReassemblyBudgetExceeded"
      this.#discard(oldId, old)
      evicted.push(oldId)
    }
    const bytes = new Uint8Array(totalLength)
    bytes.set(chunk, 0)
    this.#partials.set(messageId, { kind, bytes, received: chunk.byteLength })
    this.#reservedBytes += totalLength
    if (evicted.length === 0) return Result.succeed(undefined)
    return Result.fail(rejected(reason, `partial message(s) ${evicted.join(", ")} evicted to make room for message ${messageId}`))
  }

  #discard(messageId: number, partial: Partial): void {
    this.#partials.delete(messageId)
    this.#reservedBytes -= partial.bytes.byteLength
  }

  /** Drops every partial message (the channel closed). */
  clear(): void {
    this.#partials.clear()
    this.#reservedBytes = 0
  }
}
