/**
 * The signaling client: the transport's JSON-RPC link to the signaling server.
 *
 * @since 0.1.0
 */
export { backoffDelayMs, defaultReconnectPolicy, type ReconnectPolicy } from "./ReconnectPolicy.ts"
export {
  type DescriptionParams, type IceCandidateParams, make, type SignalingClient, type SignalingClientConfig
} from "./SignalingClient.ts"
export * from "./SignalingEvent.ts"
