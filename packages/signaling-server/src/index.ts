/**
 * The RemoteMedia signaling server (library), its announce tokens, and a local STUN responder.
 *
 * @since 0.1.0
 */
export { type ResolvedServerOptions, resolveServerOptions, type SignalingServerOptions } from "./ServerOptions.ts"
export { CloseCode } from "./SignalingHub.ts"
export { make, ServerStartError, SignalingServer, type SignalingServerShape } from "./SignalingServer.ts"
export { mintToken, tokenProblem } from "./Token.ts"
export { bindingRequestId, bindingSuccess } from "./stun/StunMessage.ts"
export { makeStunResponder, StunResponder, type StunResponderOptions, type StunResponderShape, StunStartError } from "./stun/StunResponder.ts"
