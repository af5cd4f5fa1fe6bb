/**
 * Raw werift peers for the baselines, configured like a transport's peer connection on loopback: our STUN
 * server only, loopback host candidates, max-bundle, loopback SCTP MTU, Opus + VP9/H.264/VP8, audio + video
 * sendrecv and the negotiated data channel.
 *
 * This mirrors `rtcConfiguration` of @remotemedia/webrtc, which the package does not export (yet).
 */
import { DATA_CHANNEL_LABEL, dataChannelInit, sctpPeerConfig } from "@remotemedia/webrtc"
import { type RTCDataChannel, type RTCIceCandidate, type RTCIceCandidateInit, RTCPeerConnection, useH264, useOPUS, useVP8, useVP9 } from "werift"

const LOOPBACK_SCTP_MTU = 8000

const isLoopback = (host: string) => host.startsWith("127.")

/** A raw werift peer connection and its negotiated data channel. */
export interface RawPeer {
  readonly pc: RTCPeerConnection
  readonly channel: RTCDataChannel
}

/** A raw werift peer with the transport's loopback settings and `stunUrl` as its only ICE server. */
export const rawPeer = (stunUrl: string): RawPeer => {
  const pc = new RTCPeerConnection({
    iceServers: [{ urls: stunUrl }],
    iceUseIpv6: false,
    bundlePolicy: "max-bundle",
    ...sctpPeerConfig(LOOPBACK_SCTP_MTU),
    codecs: {
      audio: [useOPUS()],
      video: [
        useVP9({ parameters: "profile-id=0" }),
        useH264({ parameters: "profile-level-id=42e01f;packetization-mode=1;level-asymmetry-allowed=1" }),
        useVP8()
      ]
    },
    iceAdditionalHostAddresses: ["127.0.0.1"],
    iceFilterCandidatePair: (pair) => isLoopback(pair.localCandidate.host) && isLoopback(pair.remoteCandidate.host)
  })
  pc.addTransceiver("audio", { direction: "sendrecv" })
  pc.addTransceiver("video", { direction: "sendrecv" })
  return { pc, channel: pc.createDataChannel(DATA_CHANNEL_LABEL, dataChannelInit) }
}

/** Resolves when `pc` is connected; rejects if it fails first. */
export const connected = (pc: RTCPeerConnection): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    if (pc.connectionState === "connected") return resolve()
    const { unSubscribe } = pc.connectionStateChange.subscribe((state) => {
      if (state === "connected") {
        unSubscribe()
        resolve()
      } else if (state === "failed") reject(new Error("raw werift connection failed"))
    })
  })

/** A candidate as plain JSON for the far end's `addIceCandidate` (werift's `toJSON` keeps `undefined`s). */
export const candidateInit = (c: RTCIceCandidate): RTCIceCandidateInit => ({
  candidate: c.candidate,
  sdpMid: c.sdpMid ?? null,
  sdpMLineIndex: c.sdpMLineIndex ?? null
})

/** Offer/answer and trickled candidates handed over directly, in process; resolves when both are connected. */
export const rawConnect = async (a: RTCPeerConnection, b: RTCPeerConnection): Promise<void> => {
  a.onIceCandidate.subscribe((c) => void (c === undefined ? undefined : b.addIceCandidate(c)))
  b.onIceCandidate.subscribe((c) => void (c === undefined ? undefined : a.addIceCandidate(c)))
  const both = Promise.all([connected(a), connected(b)])
  await a.setLocalDescription(await a.createOffer())
  await b.setRemoteDescription(a.localDescription!)
  await b.setLocalDescription(await b.createAnswer())
  await a.setRemoteDescription(b.localDescription!)
  await both
}
