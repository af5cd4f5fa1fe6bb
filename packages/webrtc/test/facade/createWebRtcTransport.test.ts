import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Exit, Scope } from "effect"
import { audio, InvalidManifest, TransportData } from "@remotemedia/runtime-core"
import { concatSamples, dominantFrequency, sineTone } from "@remotemedia/signals"
import { createWebRtcTransport, parseManifest, type WebRtcTransportClient } from "../../src/facade/createWebRtcTransport.ts"
import { InvalidConfig, InvalidOption, InvalidPeerId, NotStarted, PeerNotFound } from "../../src/errors.ts"
import type { ReceivedDataChannelMessage } from "../../src/datachannel/DataChannelMessage.ts"
import { activeResources, resourcesLeftBeyond } from "../support/activeResources.ts"
import { signalingEnv } from "../support/signalingEnv.ts"

describe("createWebRtcTransport (Promise facade)", () => {
  const scope = Effect.runSync(Scope.make())
  let urls: { readonly signalingUrl: string; readonly stunUrl: string }
  const configFor = (peerId: string) => ({
    signalingUrl: urls.signalingUrl,
    peerId,
    stunServers: [urls.stunUrl],
    candidateHosts: "loopback" as const,
    // The DTLS handshake alone can take over 10 s (the default) when the two cores run 20+ tasks.
    connectTimeoutMs: 30_000
  })

  beforeAll(async () => {
    urls = await Effect.runPromise(signalingEnv().pipe(Scope.provide(scope)))
  })
  afterAll(() => Effect.runPromise(Scope.close(scope, Exit.void)))

  it("rejects a bad config with the InvalidConfig instance naming the field", async () => {
    const error = await createWebRtcTransport({ ...configFor("alice"), maxPeers: 0 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InvalidConfig)
    expect(error).toMatchObject({ _tag: "InvalidConfig", field: "maxPeers" })
  })

  it("rejects calls with the tagged error classes", async () => {
    await using alice = await createWebRtcTransport(configFor("alice"))
    await expect(alice.connectPeer("bob")).rejects.toBeInstanceOf(NotStarted)
    await alice.start()
    await expect(alice.connectPeer("nobody")).rejects.toBeInstanceOf(PeerNotFound)
    const invalid = await alice.connectPeer("not a peer id").catch((e: unknown) => e)
    expect(invalid).toBeInstanceOf(InvalidPeerId)
    expect((invalid as InvalidPeerId).message).toContain("invalid peer id")
  })

  it("connects two peers, exchanges byte-identical messages, lists peers, and releases everything on close", async () => {
    const before = activeResources()
    const alice = await createWebRtcTransport(configFor("alice"))
    const bob = await createWebRtcTransport(configFor("bob"))
    // Subscribed before anything happens: nothing can be missed.
    const bobMessages = bob.dataChannelMessages()
    const aliceEvents = alice.events()
    await Promise.all([alice.start(), bob.start()])
    expect(await alice.connectPeer("bob")).toBe("bob")

    const binary = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) & 0xff)
    await alice.sendDataChannelMessage("bob", { _tag: "Text", payload: "hello from a Promise ✓" })
    await alice.sendDataChannelMessage("bob", { _tag: "Json", payload: { n: 1, list: [1, 2, 3] } })
    await alice.sendDataChannelMessage("bob", { _tag: "Binary", payload: binary })
    const received: Array<ReceivedDataChannelMessage> = []
    for await (const message of bobMessages) {
      received.push(message)
      if (received.length === 3) break
    }
    expect(received.map(({ peerId }) => peerId)).toEqual(["alice", "alice", "alice"])
    expect(received[0]?.message).toEqual({ _tag: "Text", payload: "hello from a Promise ✓" })
    expect(received[1]?.message).toEqual({ _tag: "Json", payload: { n: 1, list: [1, 2, 3] } })
    expect(received[2]?.message).toEqual({ _tag: "Binary", payload: binary })

    expect((await alice.listPeers()).map((peer) => peer.peerId)).toEqual(["bob"])

    // Media: a 440 Hz tone sent with Promises comes out of bob's `incoming` at 440 Hz.
    const bobMedia = bob.incoming()
    const tone = sineTone(440, 48_000, 48_000)
    const stats = await alice.broadcast(audio(tone.subarray(0, 960), 48_000, 1))
    expect(stats).toMatchObject({ totalPeers: 1, sentCount: 1, failedCount: 0 })
    for (let offset = 960; offset < tone.length; offset += 960) await alice.sendToPeer("bob", audio(tone.subarray(offset, offset + 960), 48_000, 1))
    const heard: Array<Float32Array> = []
    for await (const { peerId, data } of bobMedia) {
      if (peerId === "alice" && data._tag === "Audio") heard.push(data.samples)
      if (heard.length === 25) break
    }
    expect(dominantFrequency(concatSamples(heard), 48_000)).toBeCloseTo(440, -1)

    // Closing ends the iteration (what was buffered is still delivered) instead of leaving it hanging.
    await Promise.all([alice.close(), bob.close()])
    const events = []
    for await (const event of aliceEvents) events.push(event)
    expect(events).toContainEqual({ _tag: "PeerConnected", peerId: "bob" })
    expect(await bobMessages.next()).toEqual({ done: true, value: undefined })
    await alice.close()

    // werift's DTLS flights hold uncancellable 0.5-1 s timers after the handshake (see ResourceRelease.test.ts);
    // only growth counts, as an earlier test's timers may lapse meanwhile.
    expect(await Effect.runPromise(resourcesLeftBeyond(before, "2 seconds"))).toEqual({})
  }, 90_000)

  it("shares one service: the client's service is the Effect service it runs", async () => {
    const client: WebRtcTransportClient = await createWebRtcTransport(configFor("carol"))
    await client.start()
    // A start through the Effect service is seen by the Promise methods (same state, not a copy).
    await expect(Effect.runPromise(client.service.start)).rejects.toMatchObject({ _tag: "AlreadyStarted" })
    expect(await client.listPeers()).toEqual([])
    await client.close()
  })

  it("executes a pipeline, configures, and reports settings changes", async () => {
    await using client = await createWebRtcTransport(configFor("dave"))
    const manifest = await parseManifest({ pipeline: { nodes: [{ id: "gain", type: "Gain", params: { gainDb: -6.0206 } }] } })
    const output = await client.execute(manifest, TransportData.make(audio(Float32Array.of(0.5, -0.5, 1), 48_000, 1)))
    expect(output.data._tag === "Audio" && Array.from(output.data.samples, (x) => Number(x.toFixed(4)))).toEqual([0.25, -0.25, 0.5])

    const changes = client.settingsChanges()
    expect((await client.configure({ targetBitrateKbps: 800 })).targetBitrateKbps).toBe(800)
    const bad = await client.configure({ videoFramerateFps: 500 }).catch((e: unknown) => e)
    expect(bad).toBeInstanceOf(InvalidOption)
    expect(bad).toMatchObject({ field: "videoFramerateFps" })
    expect((await client.settings()).videoFramerateFps).toBe(30)
    const seen = []
    for await (const settings of changes) {
      seen.push(settings.targetBitrateKbps)
      if (settings.targetBitrateKbps === 800) break
    }
    expect(seen.at(-1)).toBe(800)
    await expect(parseManifest("{ not json")).rejects.toBeInstanceOf(InvalidManifest)
  })

  it("streams a session: local input through the pipeline to recvOutput and the outputs iterator", async () => {
    await using client = await createWebRtcTransport(configFor("erin"))
    await client.start()
    const manifest = await parseManifest({ pipeline: { nodes: [{ id: "gain", type: "Gain", params: { gainDb: -6.0206 } }] } })
    await using session = await client.stream(manifest)
    const outputs = session.outputs()
    await session.sendInput(TransportData.make(audio(Float32Array.of(0.5, 1), 48_000, 1)))
    await session.sendInput(TransportData.make(audio(Float32Array.of(-1, 0.2), 48_000, 1)))
    await session.endInput()
    const levels = []
    for await (const output of outputs) if (output.data._tag === "Audio") levels.push(...Array.from(output.data.samples, (x) => Number(x.toFixed(3))))
    expect(levels).toEqual([0.25, 0.5, -0.5, 0.1])
    expect((await session.stats()).inputs).toBe(2)
  })
})
