/**
 * The messages a peer sends and receives on its reliable, ordered data channel.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * A data-channel message: JSON (any value `JSON.stringify` accepts), raw bytes, or UTF-8 text.
 * Build one with `DataChannelMessage.cases.Json.make({ payload })` or as a plain object literal.
 */
export const DataChannelMessage = Schema.TaggedUnion({
  Json: { payload: Schema.Unknown },
  Binary: { payload: Schema.Uint8Array },
  Text: { payload: Schema.String }
})
export type DataChannelMessage = typeof DataChannelMessage.Type

/** A message received from `peerId`, in the order that peer sent it. */
export interface ReceivedDataChannelMessage {
  readonly peerId: string
  readonly message: DataChannelMessage
}
