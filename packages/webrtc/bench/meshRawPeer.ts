/**
 * Raw werift peers for the mesh benchmark's baseline, set up exactly like a PeerActor's connection:
 * same werift options, audio + video sendrecv, the negotiated data channel.
 */
import { RTCPeerConnection } from "werift"
import type { WebRtcTransportConfig } from "../src/config/WebRtcTransportConfig.ts"
import { DATA_CHANNEL_LABEL, dataChannelInit } from "../src/datachannel/index.ts"
import { rtcConfiguration } from "../src/peer/rtcConfiguration.ts"

export const rawPeer = (config: WebRtcTransportConfig): RTCPeerConnection => {
  const pc = new RTCPeerConnection(rtcConfiguration(config))
  pc.addTransceiver("audio", { direction: "sendrecv" })
  pc.addTransceiver("video", { direction: "sendrecv" })
  pc.createDataChannel(DATA_CHANNEL_LABEL, dataChannelInit)
  return pc
}

/** Resolves when `pc` is connected; rejects if it fails first. */
export const connectedState = (pc: RTCPeerConnection): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    if (pc.connectionState === "connected") return resolve()
    const { unSubscribe } = pc.connectionStateChange.subscribe((state) => {
      if (state === "connected") {
        unSubscribe()
        resolve()
      } else if (state === "failed") reject(new Error("raw werift connection failed"))
    })
  })
