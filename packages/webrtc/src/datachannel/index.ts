/**
 * The reliable, ordered data channel of a peer connection: message model, wire format, reassembly and the
 * channel itself.
 *
 * @since 0.1.0
 */
export * from "./DataChannelMessage.ts"
export * from "./DataChannelOptions.ts"
export * from "./InboundRejected.ts"
export * as FrameCodec from "./frameCodec.ts"
export * from "./messagePayload.ts"
export * from "./Reassembler.ts"
export * as ReliableDataChannel from "./ReliableDataChannel.ts"
export type { DataChannelSendError, DataChannelStats } from "./ReliableDataChannel.ts"
