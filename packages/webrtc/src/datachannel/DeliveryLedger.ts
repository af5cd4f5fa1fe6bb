/**
 * What one side knows of its message exchange with one remote, kept across re-connections (pure): the ids
 * it gave its messages, those the remote has not acknowledged yet (kept to send again on the next
 * connection), and the last message it received (to drop what the remote sends again). The wire protocol is
 * described in `frameCodec.ts` ("Resuming after a re-connection").
 *
 * @since 0.1.0
 */
import type { FrameKind } from "./frameCodec.ts"

/** A sent message kept until the remote acknowledges it. */
export interface RetainedMessage {
  readonly messageId: number
  readonly kind: FrameKind
  readonly bytes: Uint8Array
}

/** Counters of a ledger, for stats and tests. */
export interface DeliveryLedgerStats {
  /** Sent messages not acknowledged yet, and their payload bytes. */
  readonly retainedMessages: number
  readonly retainedBytes: number
  /** Messages sent again on a new connection. */
  readonly resent: number
  /** Received messages dropped because they had been received before (sent again after a re-connection). */
  readonly duplicatesDropped: number
  /** Unacknowledged messages let go to stay under `maxRetainedBytes`: a re-connection cannot resend them. */
  readonly unprotected: number
}

/** Whether id `a` comes after id `b` in 32-bit serial arithmetic (RFC 1982). */
export const isAfter = (a: number, b: number): boolean => {
  const distance = (a - b) >>> 0
  return distance !== 0 && distance < 0x8000_0000
}

/** A random non-zero 32-bit epoch. */
export const randomEpoch = (): number => ((Math.random() * 0xffff_ffff) >>> 0) || 1

/**
 * The ledger of the messages exchanged with one remote. A remote counts as able to resume until the first
 * frame it sends on a channel turns out not to be a `Hello`; from then on nothing is kept for it.
 */
export class DeliveryLedger {
  /** Our epoch: the remote drops repeated ids only within one epoch. */
  readonly epoch: number
  readonly #maxRetainedBytes: number
  #nextId = 0
  #retained: Array<RetainedMessage> = []
  #retainedBytes = 0
  #remoteResumes = true
  #remoteEpoch: number | undefined
  #lastReceived: number | undefined
  #resent = 0
  #duplicatesDropped = 0
  #unprotected = 0

  constructor(maxRetainedBytes: number, epoch: number = randomEpoch()) {
    this.#maxRetainedBytes = maxRetainedBytes
    this.epoch = epoch
  }

  /** Whether sent messages are kept (the remote can resume). */
  get keepsMessages(): boolean {
    return this.#remoteResumes
  }

  /** The id of the next message we send. */
  nextMessageId(): number {
    const id = this.#nextId
    this.#nextId = (id + 1) >>> 0
    return id
  }

  /**
   * Keeps a message being sent until it is acknowledged (nothing, for a remote that cannot resume). The
   * oldest kept messages are let go when the bound is exceeded; a message over the bound on its own is kept
   * alone.
   */
  retain(message: RetainedMessage): void {
    if (!this.#remoteResumes) return
    this.#retained.push(message)
    this.#retainedBytes += message.bytes.byteLength
    while (this.#retainedBytes > this.#maxRetainedBytes && this.#retained.length > 1) {
      this.#retainedBytes -= this.#retained.shift()!.bytes.byteLength
      this.#unprotected++
    }
  }

  /** Forgets the message sent last (its send failed before it was wholly handed over: it will not be resent). */
  forgetLast(messageId: number): void {
    const last = this.#retained.at(-1)
    if (last?.messageId !== messageId) return
    this.#retained.pop()
    this.#retainedBytes -= last.bytes.byteLength
  }

  /** The remote received every message up to `messageId`: they need not be kept. */
  acknowledge(messageId: number): void {
    let released = 0
    for (const message of this.#retained) {
      if (isAfter(message.messageId, messageId)) break
      released++
      this.#retainedBytes -= message.bytes.byteLength
    }
    if (released > 0) this.#retained = this.#retained.slice(released)
  }

  /** The unacknowledged messages, oldest first, to send again on a new channel (counted as resent). */
  takeForResend(): ReadonlyArray<RetainedMessage> {
    this.#resent += this.#retained.length
    return this.#retained.slice()
  }

  /** The remote's `Hello` arrived: a new epoch means a new sender, whose ids start afresh. */
  hello(remoteEpoch: number): void {
    if (remoteEpoch !== this.#remoteEpoch) this.#lastReceived = undefined
    this.#remoteEpoch = remoteEpoch
  }

  /** The first frame the remote sent on a channel was data, not a `Hello`: it cannot resume. */
  remoteCannotResume(): void {
    this.#remoteResumes = false
    this.#remoteEpoch = undefined
    this.#lastReceived = undefined
    this.#retained = []
    this.#retainedBytes = 0
  }

  /**
   * Records a completely received message: `true` to deliver it, `false` for a message received before (it
   * is counted and dropped). Without resumption every message is delivered.
   */
  receive(messageId: number): boolean {
    if (!this.#remoteResumes) return true
    if (this.#lastReceived !== undefined && !isAfter(messageId, this.#lastReceived)) {
      this.#duplicatesDropped++
      return false
    }
    this.#lastReceived = messageId
    return true
  }

  /** The id to acknowledge: the last message received, if any. */
  get lastReceived(): number | undefined {
    return this.#lastReceived
  }

  get stats(): DeliveryLedgerStats {
    return {
      retainedMessages: this.#retained.length,
      retainedBytes: this.#retainedBytes,
      resent: this.#resent,
      duplicatesDropped: this.#duplicatesDropped,
      unprotected: this.#unprotected
    }
  }
}
