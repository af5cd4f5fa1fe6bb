import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
describe("smoke", () => {
  it.effect("runs", () => Effect.gen(function*() { assert.strictEqual(yield* Effect.succeed(1), 1) }))
})
