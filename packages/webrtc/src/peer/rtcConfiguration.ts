/**
 * Translates a transport config into werift's `PeerConfig`: our ICE servers only (never werift's public
 * default), the candidate-host policy, max-bundle, and the codec preference order of the contract.
 *
 * @since 0.1.0
 */
import { type PeerConfig, type RTCRtpCodecParameters, useH264, useOPUS, useVP8, useVP9 } from "werift"
import type { VideoCodecPreference, WebRtcTransportConfig } from "../config/WebRtcTransportConfig.ts"
import { DEFAULT_SCTP_MTU, sctpPeerConfig } from "../datachannel/DataChannelOptions.ts"

const loopbackSctpMtu = 8000

const isLoopback = (host: string) => host === "127.0.0.1" || host === "::1" || host.startsWith("127.")

const videoCodecs: Record<VideoCodecPreference, () => RTCRtpCodecParameters> = {
  VP9: () => useVP9({ parameters: "profile-id=0" }),
  H264: () => useH264({ parameters: "profile-level-id=42e01f;packetization-mode=1;level-asymmetry-allowed=1" }),
  VP8: () => useVP8()
}

/** The configured codec first, then the contract's fallback order VP9 → H.264 → VP8. */
export const videoCodecOrder = (preferred: VideoCodecPreference): ReadonlyArray<VideoCodecPreference> =>
  [preferred, ...(["VP9", "H264", "VP8"] as const).filter((codec) => codec !== preferred)]

/** werift options for one peer connection of a transport configured with `config`. */
export const rtcConfiguration = (config: WebRtcTransportConfig): Partial<PeerConfig> => ({
  iceServers: [
    ...config.stunServers.map((urls) => ({ urls })),
    ...config.turnServers.map(({ url, username, credential }) => ({ urls: url, username, credential }))
  ],
  iceTransportPolicy: config.iceTransportPolicy,
  iceUseIpv6: false,
  bundlePolicy: "max-bundle",
  // Big SCTP packets only where the path carries big datagrams (loopback): ~7x the data-channel throughput.
  ...sctpPeerConfig(config.candidateHosts === "loopback" ? loopbackSctpMtu : DEFAULT_SCTP_MTU),
  codecs: {
    audio: [useOPUS()],
    video: videoCodecOrder(config.videoCodec).map((codec) => videoCodecs[codec]())
  },
  ...(config.candidateHosts === "loopback"
    ? {
      // werift skips loopback when gathering (field notes pitfall 2).
      iceAdditionalHostAddresses: ["127.0.0.1"],
      iceFilterCandidatePair: (pair) => isLoopback(pair.localCandidate.host) && isLoopback(pair.remoteCandidate.host)
    }
    : {})
})
