/**
 * Test and bench fixture: two in-process werift peers connected over 127.0.0.1, with a STUN server of our
 * own on loopback so werift never falls back to a public one (field notes, pitfalls 1 and 2).
 */
import { createSocket } from "node:dgram"
import { Effect } from "effect"
import { RTCPeerConnection } from "werift"

const MAGIC_COOKIE = 0x2112a442

/** Answers STUN Binding requests (RFC 5389) with the sender's XOR-MAPPED-ADDRESS; ignores all else. */
export const loopbackStunServer = Effect.acquireRelease(
  Effect.callback<{ readonly url: string; readonly close: () => void }>((resume) => {
    const socket = createSocket("udp4")
    socket.on("message", (request, from) => {
      if (request.length < 20 || request.readUInt16BE(0) !== 0x0001 || request.readUInt32BE(4) !== MAGIC_COOKIE) return
      const response = Buffer.alloc(32)
      response.writeUInt16BE(0x0101, 0)
      response.writeUInt16BE(12, 2)
      request.copy(response, 4, 4, 20)
      response.writeUInt16BE(0x0020, 20)
      response.writeUInt16BE(8, 22)
      response.writeUInt8(0x01, 25)
      response.writeUInt16BE(from.port ^ (MAGIC_COOKIE >>> 16), 26)
      const ip = from.address.split(".").reduce((acc, octet) => (acc << 8) | Number(octet), 0)
      response.writeUInt32BE(((ip ^ MAGIC_COOKIE) >>> 0), 28)
      socket.send(response, from.port, from.address)
    })
    socket.bind(0, "127.0.0.1", () => {
      resume(Effect.succeed({ url: `stun:127.0.0.1:${socket.address().port}`, close: () => socket.close() }))
    })
  }),
  (server) => Effect.sync(server.close)
)

/** werift options that keep every packet on 127.0.0.1. */
export const loopbackPeerConfig = (stunUrl: string, sctpMtu: number) => ({
  iceServers: [{ urls: stunUrl }],
  iceUseIpv6: false,
  iceAdditionalHostAddresses: ["127.0.0.1"],
  iceFilterCandidatePair: (pair: { remoteCandidate: { host: string } }) => pair.remoteCandidate.host === "127.0.0.1",
  sctp: { mtu: sctpMtu }
})

const closePeer = (pc: RTCPeerConnection) => Effect.promise(() => pc.close())

/**
 * Two peer connections, `offerer` and `answerer`, that both call `prepare` before negotiating (create the
 * negotiated data channel there), exchanged SDP in-process and connected. Closed with the scope.
 */
export const connectedPair = Effect.fnUntraced(function*<A>(
  prepare: (pc: RTCPeerConnection) => A,
  options: { readonly sctpMtu: number } = { sctpMtu: 1191 }
) {
  const stun = yield* loopbackStunServer
  const config = loopbackPeerConfig(stun.url, options.sctpMtu)
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
