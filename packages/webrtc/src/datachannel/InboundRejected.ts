/**
 * The error a receiver records when it drops inbound data it cannot accept.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/** Why an inbound frame (or the message it belongs to) was dropped. */
export const InboundRejectionReason = Schema.Literals([
  "UnexpectedTextFrame",
  "Truncated",
  "UnsupportedVersion",
  "UnknownKind",
  "TooLarge",
  "LengthMismatch",
  "DuplicateMessageId",
  "UnknownMessageId",
  "HeaderMismatch",
  "OffsetMismatch",
  "TooManyPartialMessages",
  "ReassemblyBudgetExceeded",
  "InvalidJson",
  "InvalidText",
  "ReceiveBacklogFull"
])
export type InboundRejectionReason = typeof InboundRejectionReason.Type

/**
 * A remote peer sent data this receiver dropped: a malformed frame, a frame that breaks the chunking rules,
 * more partial data than the reassembly bounds allow, or more complete messages than the local consumer
 * drained. The channel stays usable; only the offending frame (and, for a broken chunk sequence, the partial
 * message it belonged to) is lost.
 */
export class InboundRejected extends Schema.TaggedError<InboundRejected>()("InboundRejected", {
  reason: InboundRejectionReason,
  message: Schema.String
}) {}
