/**
 * JSON-RPC 2.0 framing: classifies one WebSocket text frame and builds outgoing frames. Pure and
 * allocation-light, because every routed message passes through it.
 *
 * @since 0.1.0
 */
import { ErrorCode, type RpcError, rpcError } from "./ErrorCode.ts"

/** A request or response id. */
export type RpcId = string | number

/** What one inbound frame turned out to be. */
export type Frame =
  | { readonly kind: "Request"; readonly id: RpcId; readonly method: string; readonly params: unknown }
  | { readonly kind: "Notification"; readonly method: string; readonly params: unknown }
  | { readonly kind: "Success"; readonly id: RpcId; readonly result: unknown }
  | { readonly kind: "Failure"; readonly id: RpcId | null; readonly error: RpcError }
  /** Answer with `error` and `id` (a malformed request or a batch). */
  | { readonly kind: "Invalid"; readonly id: RpcId | null; readonly error: RpcError }
  /** A malformed notification: dropped silently, never answered. */
  | { readonly kind: "Ignored"; readonly reason: string }

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)
const isId = (u: unknown): u is RpcId => typeof u === "string" || (typeof u === "number" && Number.isFinite(u))
const isRpcError = (u: unknown): u is RpcError => isRecord(u) && typeof u["code"] === "number" && typeof u["message"] === "string"

/** Classifies a parsed JSON value (see {@link parseFrame}). */
export const classify = (value: unknown): Frame => {
  if (Array.isArray(value)) {
    return { kind: "Invalid", id: null, error: rpcError(ErrorCode.InvalidRequest, "batches are not supported") }
  }
  if (!isRecord(value)) {
    return { kind: "Invalid", id: null, error: rpcError(ErrorCode.InvalidRequest, "a frame must be a JSON object") }
  }
  const hasId = Object.hasOwn(value, "id")
  const id = value["id"]
  const method = value["method"]
  const params = value["params"]
  if (method !== undefined && !hasId) {
    if (value["jsonrpc"] !== "2.0") return { kind: "Ignored", reason: "notification without jsonrpc \"2.0\"" }
    if (typeof method !== "string") return { kind: "Ignored", reason: "notification method is not a string" }
    if (params !== undefined && !isRecord(params)) return { kind: "Ignored", reason: "notification params is not an object" }
    return { kind: "Notification", method, params: params ?? {} }
  }
  const answerId = isId(id) ? id : null
  const invalid = (message: string): Frame => ({ kind: "Invalid", id: answerId, error: rpcError(ErrorCode.InvalidRequest, message) })
  if (value["jsonrpc"] !== "2.0") return invalid("jsonrpc must be \"2.0\"")
  if (!isId(id)) return invalid("id must be a string or a number")
  if (method === undefined) {
    if (Object.hasOwn(value, "result")) return { kind: "Success", id, result: value["result"] }
    if (isRpcError(value["error"])) return { kind: "Failure", id, error: value["error"] }
    return invalid("a frame needs a method, a result or an error")
  }
  if (typeof method !== "string") return invalid("method must be a string")
  if (params !== undefined && !isRecord(params)) {
    return { kind: "Invalid", id, error: rpcError(ErrorCode.InvalidParams, "params must be an object") }
  }
  return { kind: "Request", id, method, params: params ?? {} }
}

/** Parses and classifies one text frame; invalid JSON is a -32700 with `id: null`. */
export const parseFrame = (text: string): Frame => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { kind: "Invalid", id: null, error: rpcError(ErrorCode.ParseError, "invalid JSON") }
  }
  return classify(value)
}

/** `{"jsonrpc":"2.0","id",...,"method","params"}` */
export const encodeRequest = (id: RpcId, method: string, params: unknown): string =>
  JSON.stringify({ jsonrpc: "2.0", id, method, params })

/** `{"jsonrpc":"2.0","method","params"}`: no id, never answered. */
export const encodeNotification = (method: string, params: unknown): string =>
  JSON.stringify({ jsonrpc: "2.0", method, params })

/** A success response. */
export const encodeResult = (id: RpcId, result: unknown): string => JSON.stringify({ jsonrpc: "2.0", id, result })

/** An error response; `id` is null when the request's id could not be read. */
export const encodeError = (id: RpcId | null, error: RpcError): string => JSON.stringify({ jsonrpc: "2.0", id, error })
