/**
 * Contract example 2, pipeline-based processing, Promise style (no Effect in sight): the same NoiseGate ->
 * Gain pipeline as `pipeline-processing.ts`, through `createWebRtcTransport`.
 *
 * Run: node --conditions=source examples/pipeline-processing.promise.ts
 */
import { audio, createWebRtcTransport, parseManifest, TransportData } from "./deps.ts"
import { startLocalServers } from "./support/localServers.ts"
import { describeProcessing, sampleRate, voiceThenHiss } from "./support/voiceAndHiss.ts"

const servers = await startLocalServers()
const transport = await createWebRtcTransport({
  signalingUrl: servers.signalingUrl,
  peerId: "processor",
  stunServers: [servers.stunUrl],
  candidateHosts: "loopback"
})
try {
  await transport.start()
  const manifest = await parseManifest(`{
    "pipeline": {
      "nodes": [
        { "id": "noise_gate", "type": "NoiseGate", "params": { "thresholdDb": -40 } },
        { "id": "gain", "type": "Gain", "params": { "gainDb": 6 } }
      ]
    }
  }`)
  const input = voiceThenHiss()
  const output = await transport.execute(manifest, TransportData.make(audio(input, sampleRate, 1)))
  if (output.data._tag !== "Audio") throw new Error(`expected audio out, got ${output.data._tag}`)
  console.log(describeProcessing(input, output.data.samples))
} finally {
  await transport.close()
  await servers.close()
}
