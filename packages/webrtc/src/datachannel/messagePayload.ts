/**
 * Converts messages to and from the bytes the frames carry (pure).
 *
 * @since 0.1.0
 */
import { Result } from "effect"
import { InvalidData } from "../errors.ts"
import { DataChannelMessage } from "./DataChannelMessage.ts"
import { FrameKind, rejected } from "./frameCodec.ts"
import type { InboundRejected } from "./InboundRejected.ts"

/** A message reduced to its wire kind and payload bytes. */
export interface EncodedPayload {
  readonly kind: FrameKind
  readonly bytes: Uint8Array
}

const utf8 = new TextEncoder()
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })

const encodeJson = (payload: unknown): Result.Result<EncodedPayload, InvalidData> => {
  try {
    const text = JSON.stringify(payload)
    return text === undefined
      ? Result.fail(new InvalidData({ message: `a Json message payload of type ${typeof payload} has no JSON form` }))
      : Result.succeed({ kind: FrameKind.Json, bytes: utf8.encode(text) })
  } catch (error) {
    return Result.fail(new InvalidData({ message: `Json message payload cannot be serialised: ${String(error)}` }))
  }
}

/** The wire form of `message`; fails with `InvalidData` for a Json payload that JSON cannot represent. */
export const encodePayload: (message: DataChannelMessage) => Result.Result<EncodedPayload, InvalidData> = DataChannelMessage.match({
  Binary: ({ payload }) => Result.succeed({ kind: FrameKind.Binary, bytes: payload }),
  Text: ({ payload }) => Result.succeed({ kind: FrameKind.Text, bytes: utf8.encode(payload) }),
  Json: ({ payload }) => encodeJson(payload)
})

/** The message a reassembled payload stands for; invalid UTF-8 or JSON is rejected, never thrown. */
export const decodePayload = (kind: FrameKind, bytes: Uint8Array): Result.Result<DataChannelMessage, InboundRejected> => {
  if (kind === FrameKind.Binary) return Result.succeed({ _tag: "Binary", payload: bytes })
  let text: string
  try {
    text = strictUtf8.decode(bytes)
  } catch {
    return Result.fail(rejected("InvalidText", `a ${kind === FrameKind.Text ? "Text" : "Json"} message of ${bytes.byteLength} bytes is not valid UTF-8`))
  }
  if (kind === FrameKind.Text) return Result.succeed({ _tag: "Text", payload: text })
  try {
    return Result.succeed({ _tag: "Json", payload: JSON.parse(text) as unknown })
  } catch {
    return Result.fail(rejected("InvalidJson", `a Json message of ${bytes.byteLength} bytes is not valid JSON`))
  }
}
