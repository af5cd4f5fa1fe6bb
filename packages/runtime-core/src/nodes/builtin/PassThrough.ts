/**
 * `PassThrough`: emits every input unchanged (no params).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { defineNode } from "../NodeDefinition.ts"

export const PassThrough = defineNode({
  type: "PassThrough",
  params: Schema.Struct({}),
  make: () => ({ process: (input) => [input] })
})
