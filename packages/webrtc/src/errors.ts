/**
 * The transport's errors: one `Schema.TaggedError` per case of the contract's `WebRtcError` enum, plus
 * the cases that its method descriptions name. Each carries the facts a caller needs to act on it and a
 * readable `message`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

const withMessage = <F extends Schema.Struct.Fields>(fields: F) => ({ ...fields, message: Schema.String })

/** A configuration value (or a `configure` option) is missing or out of range; `field` names it. */
export class InvalidConfig extends Schema.TaggedError<InvalidConfig>()("InvalidConfig", withMessage({ field: Schema.String })) {}
/** A `configure` option is out of its documented range; `field` names it. */
export class InvalidOption extends Schema.TaggedError<InvalidOption>()("InvalidOption", withMessage({ field: Schema.String })) {}
/** An option the codec or peer cannot honour. */
export class NotSupported extends Schema.TaggedError<NotSupported>()("NotSupported", withMessage({ feature: Schema.String })) {}

/** The signaling link failed (cannot connect, protocol error, server error answer). */
export class SignalingError extends Schema.TaggedError<SignalingError>()("SignalingError", withMessage({ code: Schema.optional(Schema.Number) })) {}
/** SDP exchange or ICE/DTLS failed for `peerId`. */
export class ConnectionFailed extends Schema.TaggedError<ConnectionFailed>()("ConnectionFailed", withMessage({ peerId: Schema.String })) {}
/** An operation did not finish in time. */
export class ConnectionTimeout extends Schema.TaggedError<ConnectionTimeout>()("ConnectionTimeout", withMessage({ peerId: Schema.String, afterMs: Schema.Number })) {}
/** A generic operation timeout (`OperationTimeout(Duration)` in the contract). */
export class OperationTimeout extends Schema.TaggedError<OperationTimeout>()("OperationTimeout", withMessage({ operation: Schema.String, afterMs: Schema.Number })) {}
/** Shutdown or disconnect cleanup overran its deadline. */
export class ClosureTimeout extends Schema.TaggedError<ClosureTimeout>()("ClosureTimeout", withMessage({ afterMs: Schema.Number })) {}

/** The peer is neither registered with signaling nor known to this transport. */
export class PeerNotFound extends Schema.TaggedError<PeerNotFound>()("PeerNotFound", withMessage({ peerId: Schema.String })) {}
/** The peer is known but not in the Connected state. */
export class PeerNotConnected extends Schema.TaggedError<PeerNotConnected>()("PeerNotConnected", withMessage({ peerId: Schema.String })) {}
/** A connection to this peer already exists (or is being made). */
export class AlreadyConnected extends Schema.TaggedError<AlreadyConnected>()("AlreadyConnected", withMessage({ peerId: Schema.String })) {}
/** The peer was not connected when `disconnectPeer` was called. */
export class AlreadyDisconnected extends Schema.TaggedError<AlreadyDisconnected>()("AlreadyDisconnected", withMessage({ peerId: Schema.String })) {}
/** The peer id is empty or does not match `^[A-Za-z0-9_-]{1,64}$`. */
export class InvalidPeerId extends Schema.TaggedError<InvalidPeerId>()("InvalidPeerId", withMessage({ peerId: Schema.String })) {}
/**
 * The peer's circuit breaker is open: its last connection attempts all failed, so `connectPeer` fails fast
 * for `retryAfterMs` more (config `circuitBreaker`) instead of waiting out another connect timeout.
 */
export class CircuitOpen extends Schema.TaggedError<CircuitOpen>()("CircuitOpen", withMessage({ peerId: Schema.String, retryAfterMs: Schema.Number })) {}
/** `max_peers` connections exist already. */
export class MaxPeersExceeded extends Schema.TaggedError<MaxPeersExceeded>()("MaxPeersExceeded", withMessage({ maxPeers: Schema.Number })) {}

/** Neither a direct path nor a TURN relay could be established. */
export class NatTraversalFailed extends Schema.TaggedError<NatTraversalFailed>()("NatTraversalFailed", withMessage({ peerId: Schema.String })) {}
/** A local or remote ICE candidate was unusable. */
export class IceCandidateError extends Schema.TaggedError<IceCandidateError>()("IceCandidateError", withMessage({ peerId: Schema.String })) {}

/** The data is malformed (NaN samples, wrong plane sizes, …). */
export class InvalidData extends Schema.TaggedError<InvalidData>()("InvalidData", withMessage({})) {}
/** The data is well-formed but of a kind this peer or track cannot carry (e.g. 44.1 kHz audio). */
export class InvalidDataType extends Schema.TaggedError<InvalidDataType>()("InvalidDataType", withMessage({})) {}
/** The encoder rejected the input. */
export class EncodingError extends Schema.TaggedError<EncodingError>()("EncodingError", withMessage({ codec: Schema.String })) {}
/** The decoder rejected a received frame. */
export class DecodingError extends Schema.TaggedError<DecodingError>()("DecodingError", withMessage({ codec: Schema.String })) {}
/** A bounded send buffer (RTP or data channel) is full: back off and retry. */
export class SendBufferFull extends Schema.TaggedError<SendBufferFull>()("SendBufferFull", withMessage({ peerId: Schema.String })) {}
/** A data-channel message is over the 16 MB limit. */
export class MessageTooLarge extends Schema.TaggedError<MessageTooLarge>()("MessageTooLarge", withMessage({ size: Schema.Number, limit: Schema.Number })) {}
/** The peer has no data channel (disabled in config or refused by the remote). */
export class DataChannelNotAvailable extends Schema.TaggedError<DataChannelNotAvailable>()("DataChannelNotAvailable", withMessage({ peerId: Schema.String })) {}
/** `broadcast` was called with no Connected peer. */
export class NoPeersConnected extends Schema.TaggedError<NoPeersConnected>()("NoPeersConnected", withMessage({})) {}

/** No live session has this id. */
export class SessionNotFound extends Schema.TaggedError<SessionNotFound>()("SessionNotFound", withMessage({ sessionId: Schema.String })) {}
/** The pipeline runner could not create the session. */
export class SessionCreationFailed extends Schema.TaggedError<SessionCreationFailed>()("SessionCreationFailed", withMessage({})) {}

/** The transport has not been started. */
export class NotStarted extends Schema.TaggedError<NotStarted>()("NotStarted", withMessage({})) {}
/** `start` was called twice. */
export class AlreadyStarted extends Schema.TaggedError<AlreadyStarted>()("AlreadyStarted", withMessage({})) {}
/** The transport has been shut down and cannot be used again. */
export class AlreadyShutdown extends Schema.TaggedError<AlreadyShutdown>()("AlreadyShutdown", withMessage({})) {}
