/**
 * Test and bench fixture: two in-process werift peers connected over 127.0.0.1, with the loopback STUN
 * responder so werift never falls back to a public server (field notes, pitfalls 1 and 2).
 */
import { Effect } from "effect"
import { RTCPeerConnection } from "werift"
import { makeStunResponder } from "@remotemedia/signaling-server"
import { DEFAULT_SCTP_MTU, sctpPeerConfig } from "../../src/datachannel/index.ts"

/** werift options that keep every packet on 127.0.0.1, with the transport's SCTP settings. */
export const loopbackPeerConfig = (stunUrl: string, sctpMtu: number) => ({
  iceServers: [{ urls: stunUrl }],
  iceUseIpv6: false,
  iceAdditionalHostAddresses: ["127.0.0.1"],
  iceFilterCandidatePair: (pair: { remoteCandidate: { host: string } }) => pair.remoteCandidate.host === "127.0.0.1",
  ...sctpPeerConfig(sctpMtu)
})

const closePeer = (pc: RTCPeerConnection) => Effect.promise(() => pc.close())

/**
 * Two peer connections, `offerer` and `answerer`, that both call `prepare` before negotiating (create the
 * negotiated data channel there), exchanged SDP in-process and connected. Closed with the scope.
 */
export const connectedPair = Effect.fnUntraced(function*<A>(
  prepare: (pc: RTCPeerConnection) => A,
  sctpMtu: number = DEFAULT_SCTP_MTU
) {
  const stun = yield* makeStunResponder().pipe(Effect.orDie)
  const config = loopbackPeerConfig(stun.url, sctpMtu)
  const offerer = yield* Effect.acquireRelease(Effect.sync(() => new RTCPeerConnection(config)), closePeer)
  const answerer = yield* Effect.acquireRelease(Effect.sync(() => new RTCPeerConnection(config)), closePeer)
  const offererSide = prepare(offerer)
  const answererSide = prepare(answerer)
  yield* Effect.promise(async () => {
    // Non-trickle: each description already carries its candidates once gathering completes.
    await offerer.setLocalDescription(await offerer.createOffer())
    await answerer.setRemoteDescription(offerer.localDescription!)
    await answerer.setLocalDescription(await answerer.createAnswer())
    await offerer.setRemoteDescription(answerer.localDescription!)
  })
  return { offerer, answerer, offererSide, answererSide }
})
