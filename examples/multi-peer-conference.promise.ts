/**
 * Contract example 3, multi-peer conference, Promise style: the same conference as
 * `multi-peer-conference.ts` (alice hosts a NoiseGate -> Gain -> Mixer mix-minus session; bob talks at
 * 190 Hz and hears carol, carol talks at 240 Hz and hears bob), through `createWebRtcTransport`.
 *
 * Run: node --conditions=source examples/multi-peer-conference.promise.ts
 */
import { audio, createWebRtcTransport, parseManifest } from "./deps.ts"
import { startLocalServers } from "./support/localServers.ts"
import { conferenceManifest, guests, pitchOf, sampleRate, talkPaced } from "./support/voices.ts"

type Transport = Awaited<ReturnType<typeof createWebRtcTransport>>

/** Talks to `host` for 2 s in 20 ms frames, paced like a microphone. */
const talk = (transport: Transport, host: string, fundamentalHz: number) =>
  talkPaced((samples) => transport.sendToPeer(host, audio(samples, sampleRate, 1)), fundamentalHz)

/** What `transport` hears from `host`: 0.8 s of audio after the first 0.2 s (the gate opening), or what came in 20 s. */
const listen = async (media: ReturnType<Transport["incoming"]>, host: string) => {
  const heard: Array<Float32Array> = []
  let skipped = 0
  const deadline = setTimeout(() => void media.close(), 20_000)
  for await (const { peerId, data } of media) {
    if (peerId !== host || data._tag !== "Audio") continue
    if (skipped++ < 10) continue
    heard.push(data.samples)
    if (heard.length === 40) break
  }
  clearTimeout(deadline)
  return heard
}

const servers = await startLocalServers()
const join = async (peerId: string) => {
  const transport = await createWebRtcTransport({ signalingUrl: servers.signalingUrl, peerId, stunServers: [servers.stunUrl], candidateHosts: "loopback" })
  await transport.start()
  return transport
}
const [alice, bob, carol] = await Promise.all([join("alice"), join("bob"), join("carol")])
try {
  for (const guest of Object.keys(guests)) await alice.connectPeer(guest)
  const session = await alice.stream(await parseManifest(conferenceManifest), { routing: "broadcast", media: ["audio"] })
  const bobHears = listen(bob.incoming(), "alice")
  const carolHears = listen(carol.incoming(), "alice")
  await Promise.all([talk(bob, "alice", guests.bob), talk(carol, "alice", guests.carol)])

  console.log(`bob (${guests.bob} Hz) hears ${pitchOf(await bobHears)} Hz`)
  console.log(`carol (${guests.carol} Hz) hears ${pitchOf(await carolHears)} Hz`)
  const stats = await session.stats()
  console.log(`session: ${stats.inputs} frames mixed in, ${stats.sent} sent out`)
} finally {
  await Promise.all([alice.close(), bob.close(), carol.close()])
  await servers.close()
}
