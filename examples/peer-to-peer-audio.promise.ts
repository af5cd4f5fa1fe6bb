/**
 * Contract example 1, basic peer-to-peer audio streaming, Promise style: alice connects to bob and streams
 * 2 s of a voice (180 Hz) in 20 ms frames; bob decodes it and reports what he heard.
 *
 * Run: node --conditions=source examples/peer-to-peer-audio.promise.ts
 */
import { audio, createWebRtcTransport } from "./deps.ts"
import { startLocalServers } from "./support/localServers.ts"
import { pitchOf, sampleRate, talkPaced } from "./support/voices.ts"

const servers = await startLocalServers()
const config = (peerId: string) => ({ signalingUrl: servers.signalingUrl, peerId, stunServers: [servers.stunUrl], candidateHosts: "loopback" as const })
const alice = await createWebRtcTransport(config("alice"))
const bob = await createWebRtcTransport(config("bob"))
try {
  await Promise.all([alice.start(), bob.start()])
  console.log(`connected to ${await alice.connectPeer("bob")}`)

  // Bob listens before alice talks: 1.5 s of her audio (or what came in 20 s).
  const media = bob.incoming()
  const deadline = setTimeout(() => void media.close(), 20_000)
  const heard = (async () => {
    const frames: Array<Float32Array> = []
    for await (const { peerId, data } of media) {
      if (peerId === "alice" && data._tag === "Audio") frames.push(data.samples)
      if (frames.length === 75) break
    }
    return frames
  })()

  await talkPaced((samples) => alice.sendToPeer("bob", audio(samples, sampleRate, 1)), 180)
  const frames = await heard
  clearTimeout(deadline)
  console.log(`bob received ${frames.length} frames of 20 ms, pitch ${pitchOf(frames)} Hz`)
} finally {
  await Promise.all([alice.close(), bob.close()])
  await servers.close()
}
