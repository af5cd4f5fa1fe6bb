/**
 * Identity and vocabulary shared by every message: peer ids, capabilities, disconnect reasons.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/** The pattern every `peer_id` (and every `to`) must match. */
export const PEER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

/** A peer id: 1–64 characters of `[A-Za-z0-9_-]`. */
export const PeerId = Schema.String.pipe(
  Schema.check(Schema.isPattern(PEER_ID_PATTERN, { message: "must match ^[A-Za-z0-9_-]{1,64}$" }))
)

/** A media or data capability a peer announces. */
export const Capability = Schema.Literals(["audio", "video", "data"])
export type Capability = typeof Capability.Type

/** A non-empty list of capabilities. */
export const Capabilities = Schema.Array(Capability).pipe(
  Schema.check(Schema.isMinLength(1, { message: "must list at least one of audio, video, data" }))
)

/** Why a peer disconnected (`peer.disconnect.reason`). */
export const DisconnectReason = Schema.Literals(["user_requested", "network_error", "timeout", "error", "max_peers", "unknown"])
export type DisconnectReason = typeof DisconnectReason.Type

/** Why a peer left the registry for good (`peer.left.reason`). */
export const LeftReason = Schema.Literals(["user_requested", "timeout", "network_error"])
export type LeftReason = typeof LeftReason.Type

/** A 1–64 character correlation id of an offer. */
export const RequestId = Schema.String.pipe(
  Schema.check(Schema.isBetweenLength(1, 64, { message: "must be 1 to 64 characters" }))
)

/** Free-form user data: a JSON object whose serialization is at most 1 KiB. */
export const USER_DATA_MAX_BYTES = 1024
export const UserData = Schema.Record(Schema.String, Schema.Unknown).pipe(
  Schema.check(Schema.makeFilter(
    (value) => new TextEncoder().encode(JSON.stringify(value)).length <= USER_DATA_MAX_BYTES,
    { message: `must serialize to at most ${USER_DATA_MAX_BYTES} bytes of JSON` }
  ))
)
