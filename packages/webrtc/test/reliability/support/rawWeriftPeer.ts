/**
 * A bare werift peer (not our transport) on a signaling hub: it answers the first offer it receives, so a
 * transport can `connectPeer` to it, and then gives the test the raw means of a compromised endpoint —
 * writing any RTP header and payload, any RTCP packet or any datagram on the connected ICE path.
 */
import { Deferred, Effect, Stream } from "effect"
import { type RTCIceCandidate, RTCPeerConnection, RtpHeader } from "werift"
import type { WebRtcTransportConfig } from "../../../src/config/WebRtcTransportConfig.ts"
import { rtcConfiguration } from "../../../src/peer/rtcConfiguration.ts"
import type { Connect } from "../../../src/transport/SignalingLink.ts"

/** The SSRCs of each kind in an SDP, in m-section order (`a=ssrc:` lines). */
export const ssrcsOf = (sdp: string, kind: "audio" | "video"): ReadonlyArray<number> =>
  sdp.split(/\r\nm=/).filter((section) => section.startsWith(kind)).flatMap((section) => [...section.matchAll(/^a=ssrc:(\d+) /gm)].map((m) => Number(m[1])))

/** What the raw peer can send once connected. */
export interface RawMediaPeer {
  readonly connection: RTCPeerConnection
  /** Our SSRC and payload type on the negotiated track of `kind`. */
  readonly track: (kind: "audio" | "video") => { readonly ssrc: number; readonly payloadType: number }
  /** The remote transport's sending SSRCs of `kind`, from its offer. */
  readonly remoteSsrcs: (kind: "audio" | "video") => ReadonlyArray<number>
  /** SRTP-protects and sends an RTP packet exactly as given (werift's sender would rewrite SSRC and type). */
  readonly sendRtp: (header: Partial<RtpHeader>, payload: Uint8Array) => Promise<unknown>
  /** SRTCP-protects and sends `bytes` as one compound RTCP packet, well-formed or not. */
  readonly sendRtcp: (bytes: Uint8Array) => Promise<unknown>
  /** Sends a datagram on the ICE path without any protection. */
  readonly sendDatagram: (bytes: Uint8Array) => Promise<unknown>
}

/**
 * Announces `peerId` through `connect` and waits (in the background) for an offer; the returned effect
 * completes once the connection is established. Closes with the scope.
 */
export const rawWeriftPeer = (connect: Connect, peerId: string, config: WebRtcTransportConfig) =>
  Effect.gen(function*() {
    const link = yield* connect({ url: config.signalingUrl, peerId, capabilities: ["audio", "video", "data"] })
    const connection = new RTCPeerConnection(rtcConfiguration(config))
    yield* Effect.addFinalizer(() => Effect.promise(() => connection.close()))
    const ready = yield* Deferred.make<RawMediaPeer>()
    let offerSdp = ""
    const connected = new Promise<void>((resolve) => {
      connection.connectionStateChange.subscribe((state) => void (state === "connected" && resolve()))
    })

    const answer = (from: string, sdp: string, requestId: string) =>
      Effect.promise(async () => {
        offerSdp = sdp
        connection.onIceCandidate.subscribe((candidate: RTCIceCandidate | undefined) => {
          if (candidate === undefined) return
          Effect.runFork(link.iceCandidate({ to: from, candidate: `candidate:${candidate.candidate.replace(/^candidate:/, "")}`, sdpMid: candidate.sdpMid ?? null, sdpMLineIndex: candidate.sdpMLineIndex ?? null, requestId }))
        })
        await connection.setRemoteDescription({ type: "offer", sdp })
        await connection.setLocalDescription(await connection.createAnswer())
        return connection.localDescription!.sdp
      }).pipe(Effect.flatMap((answerSdp) => link.answer({ to: from, sdp: answerSdp, requestId, canTrickle: true })))

    const transceiver = (kind: "audio" | "video") => connection.getTransceivers().find((t) => t.kind === kind)!
    const dtls = () => transceiver("audio").sender.dtlsTransport
    const peer: RawMediaPeer = {
      connection,
      track: (kind) => ({ ssrc: transceiver(kind).sender.ssrc, payloadType: transceiver(kind).sender.codec?.payloadType ?? 0 }),
      remoteSsrcs: (kind) => ssrcsOf(offerSdp, kind),
      sendRtp: (header, payload) => dtls().sendRtp(Buffer.from(payload), new RtpHeader(header)),
      sendRtcp: (bytes) => dtls().sendRtcp([{ serialize: () => Buffer.from(bytes) } as never]),
      sendDatagram: (bytes) => dtls().iceTransport.connection.send(Buffer.from(bytes))
    }

    const inbox = yield* link.subscribe
    yield* Stream.runForEach(inbox, (event) => {
      if (event._tag === "OfferReceived") {
        // Answered before the next event: the offerer's candidates need the remote description.
        return answer(event.from, event.sdp, event.requestId).pipe(
          Effect.andThen(Effect.promise(() => connected).pipe(Effect.andThen(Deferred.succeed(ready, peer)), Effect.forkScoped)),
          Effect.asVoid
        )
      }
      if (event._tag === "IceCandidateReceived" && event.candidate !== "") {
        return Effect.promise(() => connection.addIceCandidate({
          candidate: event.candidate,
          ...(event.sdpMid === null ? {} : { sdpMid: event.sdpMid }),
          ...(event.sdpMLineIndex === null ? {} : { sdpMLineIndex: event.sdpMLineIndex })
        }))
      }
      return Effect.void
    }).pipe(Effect.forkScoped)
    return Deferred.await(ready)
  })
