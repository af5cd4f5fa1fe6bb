/**
 * Contract example 2, pipeline-based processing, Effect style: a NoiseGate -> Gain pipeline described by
 * a manifest, run by the transport on 2 s of audio (a voice, then hiss between phrases). The voice comes
 * out 6 dB louder at the same pitch; the hiss is gated down by more than 20 dB.
 *
 * Run: node --conditions=source examples/pipeline-processing.ts
 */
import { audio, Console, Effect, makeWebRtcTransport, Manifest, TransportData } from "./deps.ts"
import { localServers } from "./support/localServers.ts"
import { describeProcessing, sampleRate, voiceThenHiss } from "./support/voiceAndHiss.ts"

const manifestJson = {
  pipeline: {
    nodes: [
      { id: "noise_gate", type: "NoiseGate", params: { thresholdDb: -40 } },
      { id: "gain", type: "Gain", params: { gainDb: 6 } }
    ],
    graph: [
      { from: "input", to: "noise_gate" },
      { from: "noise_gate", to: "gain" },
      { from: "gain", to: "output" }
    ]
  }
}

const program = Effect.gen(function*() {
  const { signalingUrl, stunUrl } = yield* localServers
  const transport = yield* makeWebRtcTransport({ signalingUrl, peerId: "processor", stunServers: [stunUrl], candidateHosts: "loopback" })
  yield* transport.start

  const manifest = yield* Manifest.fromUnknown(manifestJson)
  const input = voiceThenHiss()
  const output = yield* transport.execute(manifest, TransportData.make(audio(input, sampleRate, 1)))
  if (output.data._tag !== "Audio") return yield* Effect.die(`expected audio out, got ${output.data._tag}`)
  yield* Console.log(describeProcessing(input, output.data.samples))
})

// The scope closes the transport and both servers when the program ends.
Effect.runPromise(Effect.scoped(program)).catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
