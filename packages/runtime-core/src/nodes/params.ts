/**
 * Small Schema building blocks for node params (defaults, ranges), so each node's params read as a table.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"

/** A finite number, `default` when the key is absent. */
export const number = (defaultValue: number) => Schema.Finite.pipe(Schema.withDecodingDefaultKey(Effect.succeed(defaultValue)))

/** A finite number > 0, `default` when the key is absent. */
export const positive = (defaultValue: number) =>
  Schema.Finite.check(Schema.isGreaterThan(0)).pipe(Schema.withDecodingDefaultKey(Effect.succeed(defaultValue)))

/** A literal choice, `default` when the key is absent. */
export const choice = <const L extends ReadonlyArray<string>>(literals: L, defaultValue: L[number]) =>
  Schema.withDecodingDefaultKey<Schema.Literals<L>>(Effect.succeed(defaultValue))(Schema.Literals(literals))
