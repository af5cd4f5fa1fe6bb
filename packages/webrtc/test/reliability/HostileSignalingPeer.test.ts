/**
 * A hostile peer on the signaling path ("mallory") throws fast-check-generated offers, answers, ICE
 * candidates and hang-ups at a transport while it streams data to an honest peer. Every bad description
 * must end in a failed attempt for mallory alone (a `PeerFailed` event: counted), bad candidates must be
 * dropped, candidates naming public addresses must not be used, and the honest stream must arrive complete,
 * in order, on the same connection.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Predicate, Stream } from "effect"
import * as fc from "fast-check"
import { SignalingConnector } from "../../src/transport/SignalingLink.ts"
import type { TransportEvent } from "../../src/transport/TransportEvent.ts"
import { makeMemorySignaling } from "../support/memorySignaling.ts"
import { stunServer } from "../support/stunServer.ts"
import { startedTransport } from "../support/testTransport.ts"
import { SequenceChecker, sequenced, sequenceOf } from "./support/sequencedMessages.ts"

/** A well-formed WebRTC data-channel offer, the seed of the mutations. */
const validSdp = [
  "v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0", "a=msid-semantic: WMS",
  "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "c=IN IP4 0.0.0.0", "a=ice-ufrag:abcd", "a=ice-pwd:abcdefghijklmnopqrstuvwx",
  "a=fingerprint:sha-256 " + Array.from({ length: 32 }, (_, i) => (i * 7 % 256).toString(16).padStart(2, "0").toUpperCase()).join(":"),
  "a=setup:actpass", "a=mid:0", "a=sctp-port:5000", "a=max-message-size:262144", ""
].join("\r\n")

const validCandidate = "candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host"

const lineMutation = fc.tuple(fc.nat(), fc.constantFrom("drop", "duplicate", "garble", "truncate"), fc.string({ maxLength: 40 }))
const mutatedSdp = fc.array(lineMutation, { minLength: 1, maxLength: 4 }).map((mutations) => {
  let lines = validSdp.split("\r\n")
  for (const [at, kind, text] of mutations) {
    const i = at % lines.length
    if (kind === "drop") lines = lines.toSpliced(i, 1)
    else if (kind === "duplicate") lines = lines.toSpliced(i, 0, lines[i] ?? "")
    else if (kind === "garble") lines = lines.toSpliced(i, 1, (lines[i] ?? "").slice(0, 2) + text)
    else lines = lines.slice(0, i + 1)
  }
  return lines.join("\r\n")
})
const sdps = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary", maxLength: 2_000 }),
  mutatedSdp,
  fc.constant(validSdp.repeat(200)),
  fc.constant(validSdp.replace("m=application", "m=video"))
)

const candidateField = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom("-1", "99999", "0", "NaN", "1e400", "8.8.8.8", "::1", "evil.invalid", "tcp", "relay", "typ", "")
)
const candidates = fc.oneof(
  fc.string(),
  fc.tuple(fc.nat({ max: 7 }), candidateField).map(([i, value]) => validCandidate.split(" ").toSpliced(i, 1, value).join(" ")),
  fc.constant("candidate:1 1 udp 2130706431 8.8.8.8 3478 typ host"),
  fc.constant("candidate:1 1 udp 2130706431 192.0.2.1 3478 typ srflx raddr 0.0.0.0 rport 0"),
  fc.constant(validCandidate.repeat(1_000))
)

type Attack =
  | { readonly _tag: "Offer"; readonly sdp: string; readonly requestId: string }
  | { readonly _tag: "Answer"; readonly sdp: string; readonly requestId: string }
  | { readonly _tag: "Candidate"; readonly candidate: string; readonly requestId: string }
  | { readonly _tag: "Hangup" }

const requestIds = fc.oneof(fc.constantFrom("m-1", "m-2"), fc.string({ maxLength: 8 }))
const attacks: fc.Arbitrary<Attack> = fc.oneof(
  fc.record({ _tag: fc.constant("Offer" as const), sdp: sdps, requestId: requestIds }),
  fc.record({ _tag: fc.constant("Answer" as const), sdp: sdps, requestId: requestIds }),
  fc.record({ _tag: fc.constant("Candidate" as const), candidate: candidates, requestId: requestIds }),
  fc.constant({ _tag: "Hangup" as const })
)

const cases = Number(process.env["RELIABILITY_FUZZ_CASES"] ?? 150)

describe("a hostile peer on the signaling path", () => {
  it.live(`${cases} forged offers, answers, candidates and hang-ups disturb no one else`, () =>
    Effect.gen(function*() {
      const hub = yield* makeMemorySignaling
      const connect = yield* SignalingConnector.pipe(Effect.provide(hub.layer))
      const stunUrl = yield* stunServer
      const urls = { signalingUrl: "ws://127.0.0.1:1/memory", stunUrl }
      const [alice, bob] = yield* Effect.all([startedTransport("alice", urls), startedTransport("bob", urls)]).pipe(Effect.provide(hub.layer))
      const aliceEvents: Array<TransportEvent> = []
      yield* Effect.forkScoped(Stream.runForEach(alice.events, (e) => Effect.sync(() => aliceEvents.push(e))), { startImmediately: true })
      yield* alice.connectPeer("bob")
      const mallory = yield* connect({ url: urls.signalingUrl, peerId: "mallory", capabilities: ["data"] })

      const checker = new SequenceChecker()
      const streamed = cases
      const receiving = yield* bob.dataChannelMessages.pipe(
        Stream.take(streamed),
        Stream.runForEach(({ message }) => Effect.sync(() => checker.accept(sequenceOf(message)))),
        Effect.forkScoped({ startImmediately: true })
      )
      const plan = fc.sample(attacks, { numRuns: cases, seed: 20261125 })
      const tally: Record<Attack["_tag"], number> = { Offer: 0, Answer: 0, Candidate: 0, Hangup: 0 }
      yield* Effect.forEach(plan, (attack, seq) =>
        Effect.gen(function*() {
          tally[attack._tag]++
          const to = "alice"
          if (attack._tag === "Offer") yield* mallory.offer({ to, sdp: attack.sdp, requestId: attack.requestId, canTrickle: true })
          else if (attack._tag === "Answer") yield* mallory.answer({ to, sdp: attack.sdp, requestId: attack.requestId, canTrickle: true })
          else if (attack._tag === "Candidate") {
            yield* mallory.iceCandidate({ to, candidate: attack.candidate, sdpMid: "0", sdpMLineIndex: 0, requestId: attack.requestId })
          } else yield* mallory.disconnect({ to, reason: "error" })
          yield* alice.sendDataChannelMessage("bob", sequenced(seq))
        }), { discard: true })
      yield* Fiber.join(receiving).pipe(Effect.timeout("60 seconds"))

      assert.isTrue(checker.complete(streamed), `received ${checker.received}, next ${checker.next}, out of order ${checker.outOfOrder}`)
      const aboutBob = aliceEvents.filter((e) => "peerId" in e && e.peerId === "bob")
      assert.deepStrictEqual(aboutBob, [{ _tag: "PeerConnected", peerId: "bob" }], "bob's connection was never touched")
      const malloryConnected = aliceEvents.filter((e) => Predicate.isTagged(e, "PeerConnected") && e.peerId === "mallory")
      assert.deepStrictEqual(malloryConnected, [], "no forged description produced a connection")
      const peers = (yield* alice.listPeers).map((p) => p.peerId)
      assert.deepStrictEqual(peers, ["bob"])
      const failedAttempts = aliceEvents.filter((e) => "peerId" in e && e.peerId === "mallory").length
      console.log(`hostile peer: ${JSON.stringify(tally)} sent; alice reported ${failedAttempts} failed/closed mallory attempts; ${checker.received}/${streamed} honest messages in order`)

      // Still fully functional: a newcomer connects and is heard.
      const carol = yield* startedTransport("carol", urls).pipe(Effect.provide(hub.layer))
      const atCarol = yield* Stream.runHead(carol.dataChannelMessages).pipe(Effect.forkScoped({ startImmediately: true }))
      yield* alice.connectPeer("carol")
      yield* alice.sendDataChannelMessage("carol", { _tag: "Text", payload: "after the storm" })
      const first = yield* Fiber.join(atCarol).pipe(Effect.timeout("5 seconds"))
      assert.deepStrictEqual(first._tag === "Some" ? first.value.message : undefined, { _tag: "Text", payload: "after the storm" })
    }), 120_000)
})
