/**
 * Contract example 1, basic peer-to-peer audio streaming, Effect style: alice connects to bob and streams
 * 2 s of a voice (180 Hz) to him in 20 ms frames, like a microphone; bob decodes it and reports what he
 * heard.
 *
 * Run: node --conditions=source examples/peer-to-peer-audio.ts
 */
import { audio, Console, Effect, Fiber, Schedule, Stream } from "./deps.ts"
import { joinAs, localServers } from "./support/localServers.ts"
import { pitchOf, sampleRate, voice } from "./support/voices.ts"

const program = Effect.gen(function*() {
  const servers = yield* localServers
  const join = (peerId: string) => joinAs(servers, peerId)
  const alice = yield* join("alice")
  const bob = yield* join("bob")

  const peerId = yield* alice.connectPeer("bob")
  yield* Console.log(`connected to ${peerId}`)

  // Bob listens before alice talks: 1.5 s of her audio.
  const heard = yield* bob.incoming.pipe(
    Stream.filter((media) => media.peerId === "alice"),
    Stream.map(({ data }) => (data._tag === "Audio" ? data.samples : new Float32Array(0))),
    Stream.filter((samples) => samples.length > 0),
    Stream.take(75),
    Stream.runCollect,
    Effect.timeout("20 seconds"),
    Effect.forkScoped({ startImmediately: true })
  )
  const microphone = voice(180)
  yield* Effect.suspend(() => alice.sendToPeer("bob", audio(microphone(), sampleRate, 1))).pipe(
    Effect.repeat({ schedule: Schedule.fixed("20 millis"), times: 99 })
  )
  const frames = yield* Fiber.join(heard)
  yield* Console.log(`bob received ${frames.length} frames of 20 ms, pitch ${pitchOf(frames)} Hz`)
})

Effect.runPromise(Effect.scoped(program)).catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
