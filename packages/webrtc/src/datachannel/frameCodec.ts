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
 * | 1      | 1    | kind         | `0` Binary, `1` Text (UTF-8), `2` Json (UTF-8 JSON text)            |
 * | 2      | 4    | messageId    | chosen by the sender, +1 per message, wraps at 2^32                 |
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
