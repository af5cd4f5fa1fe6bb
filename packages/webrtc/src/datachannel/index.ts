/**
 * The reliable, ordered data channel of a peer connection.
 *
 * - `DataChannelMessage`: Json | Binary | Text, up to 16 MiB of payload each.
 * - `FrameCodec`: the wire format (documented there for the browser page), pure.
 * - `Reassembler`: bounded reassembly of chunked messages, pure; evicts stale partial messages.
 * - `DeliveryLedger`: what was sent but not acknowledged and what was received, per remote and across
 *   re-connections, pure: a new channel re-sends what the failed one lost, the receiver drops repeats.
 * - `ReliableDataChannel`: one channel to one peer over werift. Sends keep at most a two-frame window in
 *   werift's SCTP queue (werift's queue scales badly, field notes pitfall 6), wait while it is full, and fail
 *   with `SendBufferFull` only past `maxQueuedBytes`; received messages come out in order, tagged with the
 *   sender's peer id; malformed input is dropped, counted and published as `InboundRejected`.
 * - `sctpPeerConfig`: the werift peer options the channel relies on (SCTP MTU, max-message-size).
 *
 * Both ends create the channel with `negotiated: true` and id 0 (`dataChannelInit`), so its SCTP stream id
 * never depends on the ICE or DTLS roles (field notes pitfall 13).
 *
 * @since 0.1.0
 */
export * from "./DataChannelMessage.ts"
export * from "./DataChannelOptions.ts"
export * from "./DeliveryLedger.ts"
export * from "./InboundRejected.ts"
export * as FrameCodec from "./frameCodec.ts"
export * from "./messagePayload.ts"
export * from "./Reassembler.ts"
export * as ReliableDataChannel from "./ReliableDataChannel.ts"
export type { DataChannelSendError, DataChannelStats } from "./ReliableDataChannel.ts"
