/**
 * The RemoteMedia signaling protocol (`signaling-protocol.md`): JSON-RPC 2.0 framing, every method's
 * params and results, the server's notifications and error codes. Shared by the server, the transport's
 * client and the browser page, so nothing here imports Node modules.
 *
 * @since 0.1.0
 */
export * from "./decodeParams.ts"
export * from "./ErrorCode.ts"
export * from "./Frame.ts"
export * from "./Methods.ts"
export * from "./Notifications.ts"
export * from "./PeerEntry.ts"
export * from "./PeerId.ts"
export * from "./SdpCheck.ts"
