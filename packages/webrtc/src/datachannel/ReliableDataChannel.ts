/**
 * The reliable, ordered message channel to one peer: framing, chunking and a bounded in-flight window on
 * the way out, bounded reassembly on the way in, over one werift `RTCDataChannel`.
 *
 * @since 0.1.0
 */
import { type Cause, Deferred, Effect, PubSub, Queue, Result, type Scope, Semaphore, Stream } from "effect"
import type { RTCDataChannel, RTCPeerConnection } from "werift"
import { DataChannelNotAvailable, type InvalidData, MessageTooLarge, SendBufferFull } from "../errors.ts"
import type { DataChannelMessage, ReceivedDataChannelMessage } from "./DataChannelMessage.ts"
import { DATA_CHANNEL_LABEL, type DataChannelOptions, dataChannelInit, defaultDataChannelOptions } from "./DataChannelOptions.ts"
import { encodeMessageFrames, FRAME_HEADER_BYTES, rejected } from "./frameCodec.ts"
import type { InboundRejected } from "./InboundRejected.ts"
import { decodePayload, type EncodedPayload, encodePayload } from "./messagePayload.ts"
import { Reassembler } from "./Reassembler.ts"

/** Counters of one channel, for stats and tests. */
export interface DataChannelStats {
  readonly messagesSent: number
  readonly bytesSent: number
  readonly messagesReceived: number
  readonly bytesReceived: number
  /** Inbound frames or messages dropped (each also published on `rejections`). */
  readonly rejected: number
  /** Payload bytes of sends not yet wholly handed to SCTP (waiting for the lock or the window). */
  readonly queuedBytes: number
  /** Bytes werift holds unsent (`RTCDataChannel.bufferedAmount`). */
  readonly bufferedAmount: number
  /** Bytes reserved by partially received messages. */
  readonly reassemblyBytes: number
}

/** Errors a `send` can fail with. */
export type DataChannelSendError = MessageTooLarge | SendBufferFull | InvalidData | DataChannelNotAvailable

/** A reliable, ordered message channel to one peer. */
export interface ReliableDataChannel {
  readonly peerId: string
  /**
   * Queues `message` and waits until all its frames are handed to SCTP. Waits while the in-flight window
   * is full; fails at once with `SendBufferFull` when `maxQueuedBytes` would be exceeded, `MessageTooLarge`
   * above the 16 MiB limit, `DataChannelNotAvailable` once the channel is closed. Messages are sent in
   * the order their `send`s were called.
   */
  readonly send: (message: DataChannelMessage) => Effect.Effect<void, DataChannelSendError>
  /**
   * Received messages in send order; ends when the channel closes. Meant for ONE long-running consumer:
   * it pulls whatever has arrived in batches, so a consumer that stops early (`Stream.take`) discards the
   * rest of its last batch. Use `take` to receive one message at a time.
   */
  readonly messages: Stream.Stream<ReceivedDataChannelMessage>
  /** The next received message; fails with `DataChannelNotAvailable` once the channel has closed. */
  readonly take: Effect.Effect<ReceivedDataChannelMessage, DataChannelNotAvailable>
  /** Inbound data this end dropped (malformed frames, exceeded bounds), as it happens. */
  readonly rejections: Stream.Stream<InboundRejected>
  readonly stats: Effect.Effect<DataChannelStats>
  /** Completes once the channel is open. */
  readonly opened: Effect.Effect<void, DataChannelNotAvailable>
}

interface Incoming {
  readonly received: ReceivedDataChannelMessage
  readonly size: number
}

const isClosing = (state: string) => state === "closing" || state === "closed"

/**
 * Wraps `channel` (which this channel then owns and closes with the scope). Use `open` to create the
 * negotiated channel on a peer connection.
 */
export const make = Effect.fn("ReliableDataChannel.make")(function*(
  channel: RTCDataChannel,
  peerId: string,
  options: DataChannelOptions = defaultDataChannelOptions
) {
  const notAvailable = () => new DataChannelNotAvailable({ peerId, message: `the data channel to ${peerId} is closed` })
  const maxMessageBytes = options.reassembly.maxMessageBytes
  // FIFO: concurrent sends go out whole, one after the other, in call order.
  const sendLock = yield* Semaphore.make(1)
  const inbox = yield* Queue.unbounded<Incoming, Cause.Done>()
  const rejections = yield* PubSub.sliding<InboundRejected>(256)
  const opened = yield* Deferred.make<void, DataChannelNotAvailable>()
  const reassembler = new Reassembler(options.reassembly)
  const counters = { messagesSent: 0, bytesSent: 0, messagesReceived: 0, bytesReceived: 0, rejected: 0, queuedBytes: 0, backlogBytes: 0 }
  let closed = false
  let nextMessageId = 0

  const reject = (error: InboundRejected) => {
    counters.rejected++
    PubSub.publishUnsafe(rejections, error)
  }
  const receive = (data: string | Uint8Array) => {
    if (typeof data === "string") return reject(rejected("UnexpectedTextFrame", `a text data-channel message of ${data.length} characters; frames are binary`))
    // A plain Uint8Array view (werift hands out Buffers) so payloads compare equal to what was sent.
    const reassembled = reassembler.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    if (Result.isFailure(reassembled)) return reject(reassembled.failure)
    const payload = reassembled.success
    if (payload === undefined) return
    const message = decodePayload(payload.kind, payload.bytes)
    if (Result.isFailure(message)) return reject(message.failure)
    const size = payload.bytes.byteLength
    if (counters.backlogBytes > 0 && counters.backlogBytes + size > options.maxReceiveBacklogBytes) {
      return reject(rejected("ReceiveBacklogFull", `message ${payload.messageId} (${size} bytes) dropped: ${counters.backlogBytes} bytes not yet consumed`))
    }
    counters.messagesReceived++
    counters.bytesReceived += size
    counters.backlogBytes += size
    Queue.offerUnsafe(inbox, { received: { peerId, message: message.success }, size })
  }
  const consumed = ({ received, size }: Incoming) => {
    counters.backlogBytes -= size
    return received
  }
  const shutDown = () => {
    if (closed) return
    closed = true
    reassembler.clear()
    Deferred.doneUnsafe(opened, Effect.fail(notAvailable()))
    Queue.endUnsafe(inbox)
  }
  const onState = (state: string) => {
    if (state === "open") Deferred.doneUnsafe(opened, Effect.void)
    else if (isClosing(state)) shutDown()
  }

  channel.bufferedAmountLowThreshold = options.lowWaterBytes
  const messageSubscription = channel.onMessage.subscribe(receive)
  const stateSubscription = channel.stateChanged.subscribe(onState)
  onState(channel.readyState)
  yield* Effect.addFinalizer(() =>
    Effect.sync(() => {
      messageSubscription.unSubscribe()
      stateSubscription.unSubscribe()
      shutDown()
      channel.close()
    })
  )

  // Resolves once werift's unsent backlog is at or below the low-water mark (or fails if the channel closes).
  const windowOpen = Effect.callback<void, DataChannelNotAvailable>((resume) => {
    if (closed) return resume(Effect.fail(notAvailable()))
    if (channel.bufferedAmount <= options.lowWaterBytes) return resume(Effect.void)
    const low = channel.bufferedAmountLow.subscribe(() => finish(Effect.void))
    const state = channel.stateChanged.subscribe((s) => isClosing(s) && finish(Effect.fail(notAvailable())))
    const unsubscribe = () => {
      low.unSubscribe()
      state.unSubscribe()
    }
    const finish = (effect: Effect.Effect<void, DataChannelNotAvailable>) => {
      unsubscribe()
      resume(effect)
    }
    return Effect.sync(unsubscribe)
  })

  // Hands every frame of one message to SCTP, waiting for the window between frames. Uninterruptible: a
  // half-sent message would hold the receiver's reassembly budget until the channel closes.
  const transmitFrames = (payload: EncodedPayload) =>
    Effect.gen(function*() {
      const messageId = nextMessageId
      nextMessageId = (nextMessageId + 1) >>> 0
      // A frame must fit the remote's a=max-message-size (0 means unlimited).
      const remoteLimit = channel.sctp.remoteMaxMessageSize || Number.MAX_SAFE_INTEGER
      const frameBytes = Math.max(FRAME_HEADER_BYTES + 1, Math.min(options.maxFrameBytes, remoteLimit))
      for (const frame of encodeMessageFrames(payload.kind, messageId, payload.bytes, frameBytes)) {
        if (channel.bufferedAmount > options.highWaterBytes) yield* windowOpen
        if (closed) return yield* notAvailable()
        // A Buffer view, not a copy: werift copies whatever is not a Buffer.
        channel.send(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength))
      }
      counters.messagesSent++
      counters.bytesSent += payload.bytes.byteLength
    }).pipe(Effect.uninterruptible)

  const send = Effect.fnUntraced(function*(message: DataChannelMessage) {
    const payload = yield* Effect.fromResult(encodePayload(message))
    const size = payload.bytes.byteLength
    if (size > maxMessageBytes) {
      return yield* new MessageTooLarge({ size, limit: maxMessageBytes, message: `a message of ${size} bytes is over the ${maxMessageBytes}-byte limit` })
    }
    if (closed) return yield* notAvailable()
    if (counters.queuedBytes > 0 && counters.queuedBytes + size > options.maxQueuedBytes) {
      return yield* new SendBufferFull({ peerId, message: `${counters.queuedBytes} bytes already wait to be sent to ${peerId}; ${size} more would exceed ${options.maxQueuedBytes}` })
    }
    counters.queuedBytes += size
    return yield* sendLock.withPermit(Effect.andThen(Deferred.await(opened), transmitFrames(payload))).pipe(
      Effect.ensuring(Effect.sync(() => void (counters.queuedBytes -= size)))
    )
  })

  return {
    peerId,
    send,
    messages: Stream.fromQueue(inbox).pipe(Stream.map(consumed)),
    take: Queue.take(inbox).pipe(Effect.map(consumed), Effect.catch(() => Effect.fail(notAvailable()))),
    rejections: Stream.fromPubSub(rejections),
    opened: Deferred.await(opened),
    stats: Effect.sync((): DataChannelStats => ({
      messagesSent: counters.messagesSent,
      bytesSent: counters.bytesSent,
      messagesReceived: counters.messagesReceived,
      bytesReceived: counters.bytesReceived,
      rejected: counters.rejected,
      queuedBytes: counters.queuedBytes,
      bufferedAmount: channel.bufferedAmount,
      reassemblyBytes: reassembler.reservedBytes
    }))
  } satisfies ReliableDataChannel
})

/** Creates the negotiated channel (label `remotemedia`, id 0) on `peerConnection` and wraps it. */
export const open = (
  peerConnection: RTCPeerConnection,
  peerId: string,
  options: DataChannelOptions = defaultDataChannelOptions
): Effect.Effect<ReliableDataChannel, never, Scope.Scope> =>
  Effect.suspend(() => make(peerConnection.createDataChannel(DATA_CHANNEL_LABEL, dataChannelInit), peerId, options))
