/**
 * The reliable, ordered message channel to one peer: framing, chunking and a bounded in-flight window on
 * the way out, bounded reassembly on the way in, over one werift `RTCDataChannel`; with a `DeliveryLedger`
 * that outlives the connection, it carries on after a re-connection without losing or repeating a message.
 *
 * @since 0.1.0
 */
import { type Cause, Deferred, Effect, PubSub, Queue, Result, type Scope, Semaphore, Stream } from "effect"
import type { RTCDataChannel, RTCPeerConnection } from "werift"
import { DataChannelNotAvailable, type InvalidData, MessageTooLarge, SendBufferFull } from "../errors.ts"
import type { DataChannelMessage, ReceivedDataChannelMessage } from "./DataChannelMessage.ts"
import { DATA_CHANNEL_LABEL, type DataChannelOptions, dataChannelInit, defaultDataChannelOptions } from "./DataChannelOptions.ts"
import { DeliveryLedger, type DeliveryLedgerStats, type RetainedMessage } from "./DeliveryLedger.ts"
import { ControlKind, decodeControlFrame, encodeControlFrame, encodeMessageFrames, FRAME_HEADER_BYTES, FrameKind, rejected } from "./frameCodec.ts"
import type { InboundRejected } from "./InboundRejected.ts"
import { decodePayload, type EncodedPayload, encodePayload } from "./messagePayload.ts"
import { Reassembler } from "./Reassembler.ts"

/** Counters of one channel (and of the ledger it shares with earlier channels to the same peer). */
export interface DataChannelStats extends DeliveryLedgerStats {
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

/** A receiver acknowledges at once after this many messages or bytes, else within `ackDelayMs`. */
const ackEveryMessages = 16
const ackEveryBytes = 256 * 1024
const ackDelayMs = 50

/**
 * Wraps `channel` (which this channel then owns and closes with the scope). Use `open` to create the
 * negotiated channel on a peer connection. Pass the `ledger` of the previous channel to the same peer to
 * resume after a re-connection (its unacknowledged messages go out again first).
 */
export const make = Effect.fn("ReliableDataChannel.make")(function*(
  channel: RTCDataChannel,
  peerId: string,
  options: DataChannelOptions = defaultDataChannelOptions,
  ledger: DeliveryLedger = new DeliveryLedger(options.maxRetainedBytes)
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
  let helloSent = false
  let remoteHelloSeen = false
  const unacked = { messages: 0, bytes: 0, lastSent: undefined as number | undefined }
  const ackDue = yield* Queue.dropping<void>(1)

  const reject = (error: InboundRejected) => {
    counters.rejected++
    PubSub.publishUnsafe(rejections, error)
  }
  // The Hello goes first: a remote that sees data from us before it takes us for a peer that cannot resume.
  const sendHello = () => {
    if (helloSent || closed) return
    helloSent = true
    channel.send(Buffer.from(encodeControlFrame(ControlKind.Hello, ledger.epoch)))
  }
  const sendAck = () => {
    const last = ledger.lastReceived
    if (closed || last === undefined || last === unacked.lastSent) return
    sendHello()
    channel.send(Buffer.from(encodeControlFrame(ControlKind.Ack, last)))
    unacked.messages = 0
    unacked.bytes = 0
    unacked.lastSent = last
  }
  const acknowledgeLater = (size: number) => {
    unacked.messages++
    unacked.bytes += size
    if (unacked.messages >= ackEveryMessages || unacked.bytes >= ackEveryBytes) sendAck()
    else Queue.offerUnsafe(ackDue, undefined)
  }
  const onControl = (kind: ControlKind, value: number) => {
    if (kind === ControlKind.Ack) return ledger.acknowledge(value)
    remoteHelloSeen = true
    ledger.hello(value)
  }
  const receive = (data: string | Uint8Array) => {
    if (typeof data === "string") return reject(rejected("UnexpectedTextFrame", `a text data-channel message of ${data.length} characters; frames are binary`))
    // A plain Uint8Array view (werift hands out Buffers) so payloads compare equal to what was sent.
    const frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    const control = decodeControlFrame(frame)
    if (Result.isFailure(control)) return reject(control.failure)
    if (control.success !== undefined) return onControl(control.success.kind, control.success.value)
    if (!remoteHelloSeen) {
      remoteHelloSeen = true
      ledger.remoteCannotResume()
    }
    const reassembled = reassembler.push(frame)
    if (Result.isFailure(reassembled)) return reject(reassembled.failure)
    const payload = reassembled.success
    if (payload === undefined) return
    const fresh = ledger.receive(payload.messageId)
    acknowledgeLater(payload.bytes.byteLength)
    if (!fresh) return
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
    if (state === "open") {
      sendHello()
      Deferred.doneUnsafe(opened, Effect.void)
    } else if (isClosing(state)) shutDown()
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
  const transmitFrames = ({ messageId, kind, bytes }: RetainedMessage) =>
    Effect.gen(function*() {
      // A frame must fit the remote's a=max-message-size (0 means unlimited).
      const remoteLimit = channel.sctp.remoteMaxMessageSize || Number.MAX_SAFE_INTEGER
      const frameBytes = Math.max(FRAME_HEADER_BYTES + 1, Math.min(options.maxFrameBytes, remoteLimit))
      for (const frame of encodeMessageFrames(kind, messageId, bytes, frameBytes)) {
        if (channel.bufferedAmount > options.highWaterBytes) yield* windowOpen
        if (closed) return yield* notAvailable()
        // A Buffer view, not a copy: werift copies whatever is not a Buffer.
        channel.send(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength))
      }
      counters.messagesSent++
      counters.bytesSent += bytes.byteLength
    }).pipe(Effect.uninterruptible)

  // A new message gets the next id and is kept until acknowledged; one whose send fails is not resent.
  const transmitNew = (payload: EncodedPayload) => {
    const message: RetainedMessage = {
      messageId: ledger.nextMessageId(),
      kind: payload.kind,
      // The caller may reuse its buffer once `send` returns; a resend must carry what was sent.
      bytes: payload.kind === FrameKind.Binary && ledger.keepsMessages ? payload.bytes.slice() : payload.bytes
    }
    ledger.retain(message)
    return transmitFrames(message).pipe(Effect.onError(() => Effect.sync(() => ledger.forgetLast(message.messageId))))
  }

  // Before any new message: what the previous channel to this peer left unacknowledged, under its old ids.
  yield* sendLock.take(1)
  yield* Effect.forkScoped(
    Deferred.await(opened).pipe(
      Effect.andThen(Effect.forEach(ledger.takeForResend(), transmitFrames, { discard: true })),
      Effect.ignore,
      Effect.ensuring(sendLock.release(1))
    )
  )
  yield* Effect.forkScoped(Effect.forever(Queue.take(ackDue).pipe(Effect.andThen(Effect.sleep(ackDelayMs)), Effect.andThen(Effect.sync(sendAck)))))

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
    return yield* sendLock.withPermit(Effect.andThen(Deferred.await(opened), transmitNew(payload))).pipe(
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
      reassemblyBytes: reassembler.reservedBytes,
      ...ledger.stats
    }))
  } satisfies ReliableDataChannel
})

/**
 * Creates the negotiated channel (label `remotemedia`, id 0) on `peerConnection` and wraps it; `ledger`
 * as in {@link make}.
 */
export const open = (
  peerConnection: RTCPeerConnection,
  peerId: string,
  options: DataChannelOptions = defaultDataChannelOptions,
  ledger?: DeliveryLedger
): Effect.Effect<ReliableDataChannel, never, Scope.Scope> =>
  Effect.suspend(() => make(peerConnection.createDataChannel(DATA_CHANNEL_LABEL, dataChannelInit), peerId, options, ledger))
