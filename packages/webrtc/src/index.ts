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
  CircuitBreakerPolicy,
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
export { emptyMetrics, qualityScore } from "./peer/ConnectionMetrics.ts"
export type { ConnectionState } from "./peer/PeerActor.ts"
export type { PeerInfo, PeerSyncState } from "./transport/PeerInfo.ts"
export type { BufferStats } from "./sync/JitterBuffer.ts"
export type { StreamSyncStats } from "./sync/PeerSync.ts"
export { type Connect as SignalingConnect, SignalingConnector } from "./transport/SignalingLink.ts"
export type { TransportEvent } from "./transport/TransportEvent.ts"
export type { BroadcastStats } from "./media/BroadcastStats.ts"
export type { IncomingMedia } from "./media/IncomingMedia.ts"
export type { MediaSendError } from "./media/MediaEngine.ts"
export { make as makeWebRtcTransport, WebRtcTransport, type WebRtcTransportService } from "./transport/WebRtcTransport.ts"
export {
  ConfigOptions,
  namedResolutions,
  parseResolution,
  type TransportSettings,
  type VideoResolution
} from "./config/ConfigOptions.ts"
export { connectionPresets, type PresetName, presets } from "./config/presets.ts"
export type { RoutedSession, SessionOptions, SessionStats } from "./session/index.ts"
export { type InMemoryMesh, type InMemoryMeshOptions, makeInMemoryMesh } from "./session/index.ts"
export {
  type CallOptions,
  createWebRtcTransport,
  parseManifest,
  WebRtcTransportClient
} from "./facade/createWebRtcTransport.ts"
export { StreamSessionClient } from "./facade/StreamSessionClient.ts"
export type { Subscription } from "./facade/Subscription.ts"
export * from "./datachannel/index.ts"
export * as Signaling from "./signaling/index.ts"
// The building blocks stay namespaced: they are many, and only the transport needs them flat.
export * as Media from "./media/index.ts"
export * as Sync from "./sync/index.ts"
export * as Sessions from "./session/index.ts"
