/**
 * JSON-RPC 2.0 error codes of the signaling protocol: the standard ones and the server's own
 * (`signaling-protocol.md`, "Framing").
 *
 * @since 0.1.0
 */
export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  PeerNotFound: -32000,
  Unauthorized: -32001,
  OfferInvalid: -32002,
  AnswerInvalid: -32003,
  IceCandidateInvalid: -32004,
  SessionLimitExceeded: -32005,
  PeerIdTaken: -32006,
  NotAnnounced: -32007,
  RateLimited: -32008
} as const
export type ErrorCode = typeof ErrorCode[keyof typeof ErrorCode]

/** The `error` member of a JSON-RPC response. */
export interface RpcError {
  readonly code: number
  readonly message: string
  readonly data?: unknown
}

/** Builds an error object; `data` is left out when undefined, as JSON-RPC wants. */
export const rpcError = (code: ErrorCode, message: string, data?: unknown): RpcError =>
  data === undefined ? { code, message } : { code, message, data }
