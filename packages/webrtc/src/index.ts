/**
 * @remotemedia/webrtc: `WebRtcTransport`, a multi-peer WebRTC media transport on werift and Effect, and
 * the building blocks it is made of (data channels, media, sync).
 *
 * @since 0.1.0
 */
export * from "./errors.ts"
export {
  AcceptPolicy,
  CandidateHosts,
  decodeConfig,
  IceTransportPolicy,
  PeerIdPattern,
  ReconnectPolicy,
  TurnServer,
  VideoCodecPreference,
  WebRtcTransportConfig,
  type WebRtcTransportConfigInput
} from "./config/WebRtcTransportConfig.ts"
export type { ConnectionQualityMetrics } from "./peer/ConnectionMetrics.ts"
export { qualityScore } from "./peer/ConnectionMetrics.ts"
export type { ConnectionState } from "./peer/PeerActor.ts"
export type { PeerInfo, PeerSyncState } from "./transport/PeerInfo.ts"
export { type Connect as SignalingConnect, SignalingConnector } from "./transport/SignalingLink.ts"
export type { TransportEvent } from "./transport/TransportEvent.ts"
export type { BroadcastStats } from "./media/BroadcastStats.ts"
export type { IncomingMedia } from "./media/IncomingMedia.ts"
export type { MediaSendError } from "./media/MediaEngine.ts"
export { make as makeWebRtcTransport, WebRtcTransport, type WebRtcTransportService } from "./transport/WebRtcTransport.ts"
export * from "./datachannel/index.ts"
export * as Signaling from "./signaling/index.ts"
// The building blocks stay namespaced: they are many, and only the transport needs them flat.
export * as Media from "./media/index.ts"
export * as Sync from "./sync/index.ts"
