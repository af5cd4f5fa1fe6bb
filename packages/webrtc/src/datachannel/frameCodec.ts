/**
 * The data-channel wire format: pure encoding and decoding, no I/O.
 *
 * ## Wire format (version 1)
 *
 * The transport opens ONE data channel per peer connection, created on both sides with
 * `{ label: "remotemedia", negotiated: true, id: 0, ordered: true }` (no DCEP handshake, so the stream id
 * does not depend on who is DTLS client or ICE controller). Every frame travels as one BINARY data-channel
 * message (PPID 53); a text data-channel message is a protocol error.
 *
 * Each frame is a 14-byte header followed by a chunk of the message payload. Integers are big-endian:
 *
 * | offset | size | field        | meaning                                                             |
 * |--------|------|--------------|---------------------------------------------------------------------|
 * | 0      | 1    | version      | always `1`                                                          |
 * | 1      | 1    | kind         | `0` Binary, `1` Text (UTF-8), `2` Json (UTF-8 JSON text), `3` Hello, `4` Ack |
 * | 2      | 4    | messageId    | +1 per message from 0, wraps at 2^32; a control frame's value       |
 * | 6      | 4    | totalLength  | payload bytes of the whole message (at most 16 MiB)                 |
 * | 10     | 4    | offset       | where this frame's chunk starts inside the payload                  |
 * | 14     | n    | chunk        | `n` payload bytes; `offset + n <= totalLength`                      |
 *
 * Rules:
 * - A message is the frames with one `messageId`, all with the same `kind` and `totalLength`, whose chunks
 *   are contiguous and in order: the first has `offset` 0, each next one starts where the previous ended,
 *   the last ends at `totalLength`. An empty message is a single frame with `offset` 0 and no chunk.
 * - A sender sends all frames of a message before the first frame of the next one, so the ordered channel
 *   delivers messages in send order. A receiver may nevertheless accept frames of a few messages
 *   interleaved (each message id its own reassembly) and delivers each message when its last chunk arrives.
 * - A frame must fit the remote's `a=max-message-size` (our werift peers announce 262144, Chromium too;
 *   in a browser read `pc.sctp.maxMessageSize`). Our senders put 64 KiB of payload in a frame.
 * - Senders keep only a few frames buffered (`bufferedAmount`, `bufferedamountlow`) instead of queueing a
 *   whole large message at once.
 *
 *
 * ## Resuming after a re-connection
 *
 * When a connection fails and the transport connects the same two peers again, messages handed to SCTP just
 * before the failure may never have arrived. Two control frames (no chunk, `totalLength` and `offset` 0)
 * let the new channel carry on where the old one stopped, exactly once:
 * - `Hello` (kind 3), the first frame a sender sends on every new channel; `messageId` holds the sender's
 *   epoch, a random non-zero number it keeps for as long as it keeps the peer (across re-connections).
 *   Message ids continue across re-connections within one epoch.
 * - `Ack` (kind 4), from a receiver: `messageId` holds the last message id it has received (cumulative).
 *   Receivers ack within ~50 ms of a message, at once after 16 messages or 256 KiB.
 * A sender keeps each message until it is acked; on a new channel it sends `Hello`, then every unacked
 * message again under its original id, then new ones. A receiver drops a message whose id is not after the
 * last one it received in the same epoch; a `Hello` with another epoch starts afresh. A peer that sends no
 * `Hello` (the first frame it sends is data) is not resumed: nothing is kept for it.
 *
 * In a browser: `dc = pc.createDataChannel("remotemedia", { negotiated: true, id: 0, ordered: true })`,
 * `dc.binaryType = "arraybuffer"`, and read the header with a `DataView` (big-endian is its default).
 * Example, a one-frame Text message: `[1, 1, 0,0,0,7, 0,0,0,2, 0,0,0,0, 0x68, 0x69]` is "hi" as message 7.
 *
 * @since 0.1.0
 */
import { Result } from "effect"
import { InboundRejected, type InboundRejectionReason } from "./InboundRejected.ts"

/** The framing version this module speaks. */
export const FRAME_VERSION = 1
/** Bytes of header in front of every chunk. */
export const FRAME_HEADER_BYTES = 14
/** The contract's per-message limit: 16 MiB of payload. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024

/** Payload kinds on the wire. */
export const FrameKind = { Binary: 0, Text: 1, Json: 2 } as const
export type FrameKind = typeof FrameKind[keyof typeof FrameKind]

/** Control frame kinds on the wire (see "Resuming after a re-connection"). */
export const ControlKind = { Hello: 3, Ack: 4 } as const
export type ControlKind = typeof ControlKind[keyof typeof ControlKind]

/** A decoded control frame: its kind and the value its `messageId` field carries (epoch or acked id). */
export interface ControlFrame {
  readonly kind: ControlKind
  readonly value: number
}

/** A decoded frame: its header fields and a view (not a copy) of its chunk. */
export interface Frame {
  readonly kind: FrameKind
  readonly messageId: number
  readonly totalLength: number
  readonly offset: number
  readonly chunk: Uint8Array
}

/** Builds the error for a rejected frame. */
export const rejected = (reason: InboundRejectionReason, message: string): InboundRejected =>
  new InboundRejected({ reason, message })

/** Encodes one frame: header plus `payload[offset, offset + length)`, in one new buffer. */
export const encodeFrame = (
  kind: FrameKind,
  messageId: number,
  payload: Uint8Array,
  offset: number,
  length: number
): Uint8Array => {
  const frame = new Uint8Array(FRAME_HEADER_BYTES + length)
  const view = new DataView(frame.buffer)
  view.setUint8(0, FRAME_VERSION)
  view.setUint8(1, kind)
  view.setUint32(2, messageId >>> 0)
  view.setUint32(6, payload.byteLength)
  view.setUint32(10, offset)
  frame.set(payload.subarray(offset, offset + length), FRAME_HEADER_BYTES)
  return frame
}

/** Encodes a control frame: `value` goes in the `messageId` field. */
export const encodeControlFrame = (kind: ControlKind, value: number): Uint8Array => {
  const frame = new Uint8Array(FRAME_HEADER_BYTES)
  const view = new DataView(frame.buffer)
  view.setUint8(0, FRAME_VERSION)
  view.setUint8(1, kind)
  view.setUint32(2, value >>> 0)
  return frame
}

/**
 * The control frame `frame` is, `undefined` for any other frame (left to `decodeFrame`), or why it is
 * malformed (a control frame carries no payload).
 */
export const decodeControlFrame = (frame: Uint8Array): Result.Result<ControlFrame | undefined, InboundRejected> => {
  if (frame.byteLength < FRAME_HEADER_BYTES || frame[0] !== FRAME_VERSION) return Result.succeed(undefined)
  const kind = frame[1]
  if (kind !== ControlKind.Hello && kind !== ControlKind.Ack) return Result.succeed(undefined)
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength)
  if (frame.byteLength !== FRAME_HEADER_BYTES || view.getUint32(6) !== 0 || view.getUint32(10) !== 0) {
    return Result.fail(rejected("LengthMismatch", `a control frame of kind ${kind} carries ${frame.byteLength - FRAME_HEADER_BYTES} payload bytes; control frames carry none`))
  }
  return Result.succeed({ kind, value: view.getUint32(2) })
}

/**
 * The frames of one message, each at most `maxFrameBytes` long (header included), produced lazily so a
 * 16 MiB message is never copied whole.
 */
export function* encodeMessageFrames(
  kind: FrameKind,
  messageId: number,
  payload: Uint8Array,
  maxFrameBytes: number
): Generator<Uint8Array, void, undefined> {
  const chunkBytes = maxFrameBytes - FRAME_HEADER_BYTES
  let offset = 0
  do {
    const length = Math.min(chunkBytes, payload.byteLength - offset)
    yield encodeFrame(kind, messageId, payload, offset, length)
    offset += length
  } while (offset < payload.byteLength)
}

/** How many frames `encodeMessageFrames` produces for a payload of `payloadBytes`. */
export const frameCount = (payloadBytes: number, maxFrameBytes: number): number =>
  Math.max(1, Math.ceil(payloadBytes / (maxFrameBytes - FRAME_HEADER_BYTES)))

const isFrameKind = (kind: number): kind is FrameKind => kind <= FrameKind.Json

/** Decodes and validates a frame header; never throws. `maxMessageBytes` bounds `totalLength`. */
export const decodeFrame = (
  frame: Uint8Array,
  maxMessageBytes: number = MAX_MESSAGE_BYTES
): Result.Result<Frame, InboundRejected> => {
  if (frame.byteLength < FRAME_HEADER_BYTES) {
    return Result.fail(rejected("Truncated", `frame of ${frame.byteLength} bytes is shorter than its ${FRAME_HEADER_BYTES}-byte header`))
  }
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength)
  const version = view.getUint8(0)
  if (version !== FRAME_VERSION) {
    return Result.fail(rejected("UnsupportedVersion", `frame version ${version}, expected ${FRAME_VERSION}`))
  }
  const kind = view.getUint8(1)
  if (!isFrameKind(kind)) return Result.fail(rejected("UnknownKind", `unknown message kind ${kind}`))
  const messageId = view.getUint32(2)
  const totalLength = view.getUint32(6)
  const offset = view.getUint32(10)
  if (totalLength > maxMessageBytes) {
    return Result.fail(rejected("TooLarge", `message ${messageId} declares ${totalLength} bytes, limit ${maxMessageBytes}`))
  }
  const chunk = frame.subarray(FRAME_HEADER_BYTES)
  if (offset + chunk.byteLength > totalLength) {
    return Result.fail(rejected("LengthMismatch", `message ${messageId}: chunk [${offset}, ${offset + chunk.byteLength}) exceeds its ${totalLength} bytes`))
  }
  return Result.succeed({ kind, messageId, totalLength, offset, chunk })
}
