/**
 * `TextTransform`: rewrites `Text` (`transform`: "uppercase" | "lowercase" | "trim" | "reverse" | "none",
 * then `prefix` and `suffix`). Other data passes through.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import { isText, text } from "../../data/RuntimeData.ts"
import { TransportData } from "../../data/TransportData.ts"
import { defineNode } from "../NodeDefinition.ts"
import { choice } from "../params.ts"

const transforms = {
  none: (s: string) => s,
  uppercase: (s: string) => s.toUpperCase(),
  lowercase: (s: string) => s.toLowerCase(),
  trim: (s: string) => s.trim(),
  reverse: (s: string) => Array.from(s).toReversed().join("")
} as const

const affix = Schema.String.pipe(Schema.withDecodingDefaultKey(Effect.succeed("")))

export const TextTransform = defineNode({
  type: "TextTransform",
  params: Schema.Struct({
    transform: choice(["none", "uppercase", "lowercase", "trim", "reverse"], "none"),
    prefix: affix,
    suffix: affix
  }),
  make: ({ prefix, suffix, transform }) => ({
    process: (input) =>
      isText(input.data)
        ? [TransportData.withData(input, text(prefix + transforms[transform](input.data.text) + suffix))]
        : [input]
  })
})
