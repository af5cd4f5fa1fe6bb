/**
 * `JsonTransform`: reshapes `Json` objects: keeps only `pick` keys (when given), drops `omit` keys, then
 * merges `set`. `Text` input is parsed as JSON first when `parseText` is true (invalid JSON fails the node
 * with the parser's message). Non-object JSON values and other data pass through.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import { isJson, isText, json } from "../../data/RuntimeData.ts"
import { TransportData } from "../../data/TransportData.ts"
import { defineNode } from "../NodeDefinition.ts"

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

export const JsonTransform = defineNode({
  type: "JsonTransform",
  params: Schema.Struct({
    pick: Schema.optional(Schema.Array(Schema.String)),
    omit: Schema.Array(Schema.String).pipe(Schema.withDecodingDefaultKey(Effect.succeed([]))),
    set: Schema.Record(Schema.String, Schema.Json).pipe(Schema.withDecodingDefaultKey(Effect.succeed({}))),
    parseText: Schema.Boolean.pipe(Schema.withDecodingDefaultKey(Effect.succeed(false)))
  }),
  make: ({ omit, parseText, pick, set }) => {
    const reshape = (value: Record<string, unknown>) => {
      const kept = pick === undefined ? { ...value } : Object.fromEntries(pick.filter((k) => k in value).map((k) => [k, value[k]]))
      for (const k of omit) delete kept[k]
      return { ...kept, ...set }
    }
    return {
      process: (input) => {
        const d = input.data
        const value: unknown = isJson(d) ? d.value : isText(d) && parseText ? JSON.parse(d.text) : undefined
        return isObject(value) ? [TransportData.withData(input, json(reshape(value)))] : [input]
      }
    }
  }
})
