/**
 * Contract example 3, multi-peer conference, Effect style. Alice hosts: she connects to bob and carol and
 * runs a NoiseGate -> Gain -> Mixer (mix-minus) session over what they send her, so each guest hears the
 * mix of everyone else and not himself. Bob talks at 190 Hz, carol at 240 Hz: bob hears 240, carol 190.
 *
 * Run: node --conditions=source examples/multi-peer-conference.ts
 */
import { audio, Console, Effect, Fiber, Manifest, Schedule, Stream, type WebRtcTransportService } from "./deps.ts"
import { joinAs, localServers } from "./support/localServers.ts"
import { conferenceManifest, frameSamples, guests, pitchOf, sampleRate, voice } from "./support/voices.ts"

/** Talks to `host` for 2 s in 20 ms frames, paced like a microphone. */
const talk = (transport: WebRtcTransportService, host: string, fundamentalHz: number) => {
  const next = voice(fundamentalHz)
  return Effect.suspend(() => transport.sendToPeer(host, audio(next(), sampleRate, 1))).pipe(
    Effect.repeat({ schedule: Schedule.fixed("20 millis"), times: 99 })
  )
}

/** What `transport` hears from `host`: 0.8 s of audio after the first 0.2 s (the gate opening). */
const listen = (transport: WebRtcTransportService, host: string) =>
  transport.incoming.pipe(
    Stream.filter(({ peerId, data }) => peerId === host && data._tag === "Audio"),
    Stream.drop(10),
    Stream.take(40),
    Stream.map(({ data }) => (data._tag === "Audio" ? data.samples : new Float32Array(frameSamples))),
    Stream.runCollect,
    Effect.timeout("20 seconds"),
    Effect.forkScoped({ startImmediately: true })
  )

const program = Effect.gen(function*() {
  const servers = yield* localServers
  const join = (peerId: string) => joinAs(servers, peerId)
  const alice = yield* join("alice")
  const bob = yield* join("bob")
  const carol = yield* join("carol")
  for (const guest of Object.keys(guests)) yield* alice.connectPeer(guest)

  const manifest = yield* Manifest.fromUnknown(conferenceManifest)
  const session = yield* alice.stream(manifest, { routing: "broadcast", media: ["audio"] })
  const bobHears = yield* listen(bob, "alice")
  const carolHears = yield* listen(carol, "alice")
  yield* Effect.all([talk(bob, "alice", guests.bob), talk(carol, "alice", guests.carol)], { concurrency: "unbounded" })

  yield* Console.log(`bob (${guests.bob} Hz) hears ${pitchOf(yield* Fiber.join(bobHears))} Hz`)
  yield* Console.log(`carol (${guests.carol} Hz) hears ${pitchOf(yield* Fiber.join(carolHears))} Hz`)
  const stats = yield* session.stats
  yield* Console.log(`session: ${stats.inputs} frames mixed in, ${stats.sent} sent out`)
})

Effect.runPromise(Effect.scoped(program)).catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
