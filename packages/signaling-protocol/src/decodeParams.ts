/**
 * Decoding of method params with errors a client can act on: a schema failure becomes a -32602 whose
 * message names the offending field (`params.peer_id: must match …`).
 *
 * @since 0.1.0
 */
import { Result, Schema, SchemaIssue } from "effect"
import { ErrorCode, type RpcError, rpcError } from "./ErrorCode.ts"

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

const describe = (issue: SchemaIssue.Issue): string => {
  const first = formatter(issue).issues[0]
  if (first === undefined) return "params: invalid"
  const path = (first.path ?? []).map((key) => typeof key === "number" ? `[${key}]` : `.${String(key)}`).join("")
  return `params${path}: ${first.message}`
}

/**
 * Builds a decoder for one method's params. The result is the decoded value or the -32602 error to
 * send back.
 */
export const paramsDecoder = <S extends Schema.Decoder<unknown>>(schema: S) => {
  const decode = Schema.decodeUnknownResult(schema)
  return (params: unknown): Result.Result<S["Type"], RpcError> =>
    Result.mapError(decode(params), (error) => rpcError(ErrorCode.InvalidParams, describe(error.issue)))
}
