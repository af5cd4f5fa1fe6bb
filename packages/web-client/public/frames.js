// The data-channel framing of @remotemedia/webrtc (packages/webrtc/src/datachannel/frameCodec.ts), for the
// browser: a 14-byte big-endian header (version 1, kind, messageId, totalLength, offset) before each chunk,
// and the Hello / Ack control frames that resume a channel after a re-connection.

export const FrameKind = { Binary: 0, Text: 1, Json: 2 }
export const ControlKind = { Hello: 3, Ack: 4 }
const HEADER_BYTES = 14
const CHUNK_BYTES = 64 * 1024

/** The frames of one message: `kind` is a FrameKind, `payload` a Uint8Array. */
export function encodeMessage(kind, payload, messageId) {
  const frames = []
  for (let offset = 0; offset < payload.length || frames.length === 0; offset += CHUNK_BYTES) {
    const chunk = payload.subarray(offset, offset + CHUNK_BYTES)
    const frame = new Uint8Array(HEADER_BYTES + chunk.length)
    const view = new DataView(frame.buffer)
    view.setUint8(0, 1)
    view.setUint8(1, kind)
    view.setUint32(2, messageId >>> 0)
    view.setUint32(6, payload.length)
    view.setUint32(10, offset)
    frame.set(chunk, HEADER_BYTES)
    frames.push(frame)
  }
  return frames
}

/** A control frame: a bare header whose messageId field carries `value` (the epoch, or the acked id). */
export function encodeControl(kind, value) {
  const frame = new Uint8Array(HEADER_BYTES)
  const view = new DataView(frame.buffer)
  view.setUint8(0, 1)
  view.setUint8(1, kind)
  view.setUint32(2, value >>> 0)
  return frame
}

/** Whether message id `a` comes after `b`, in 32-bit serial arithmetic. */
export function isAfter(a, b) {
  const distance = (a - b) >>> 0
  return distance !== 0 && distance < 0x80000000
}

/** `{ kind, payload }` (kind "Binary" | "Text" | "Json") from a kind and its payload bytes. */
export function toMessage(kind, bytes) {
  if (kind === FrameKind.Binary) return { kind: "Binary", payload: bytes }
  const text = new TextDecoder().decode(bytes)
  return kind === FrameKind.Text ? { kind: "Text", payload: text } : { kind: "Json", payload: JSON.parse(text) }
}

/**
 * Reassembles frames into messages: `onMessage({ kind, payload }, id)` fires when a message is complete,
 * `onControl(kind, value)` for each control frame.
 */
export function makeReassembler(onMessage, onControl) {
  const partial = new Map()
  return (data) => {
    const view = new DataView(data)
    if (data.byteLength < HEADER_BYTES || view.getUint8(0) !== 1) return
    const kind = view.getUint8(1)
    const id = view.getUint32(2)
    if (kind === ControlKind.Hello || kind === ControlKind.Ack) return onControl(kind, id)
    if (kind > FrameKind.Json) return
    const total = view.getUint32(6)
    const offset = view.getUint32(10)
    const chunk = new Uint8Array(data, HEADER_BYTES)
    let entry = partial.get(id)
    if (entry === undefined) {
      if (offset !== 0) return
      entry = { bytes: new Uint8Array(total), filled: 0 }
      partial.set(id, entry)
    }
    if (offset !== entry.filled || offset + chunk.length > total) {
      partial.delete(id)
      return
    }
    entry.bytes.set(chunk, offset)
    entry.filled += chunk.length
    if (entry.filled < total) return
    partial.delete(id)
    onMessage(toMessage(kind, entry.bytes), id)
  }
}
