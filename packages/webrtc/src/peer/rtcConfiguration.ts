/**
 * Translates a transport config into werift's `PeerConfig`: our ICE servers only (never werift's public
 * default), the candidate-host policy, max-bundle, the codec preference order of the contract, and
 * transport-wide congestion control: werift sends no REMB, but answers the transport-cc feedback type with
 * TWCC reports, which is what lets a browser's sender ramp its bitrate up (field notes pitfall 8).
 *
 * @since 0.1.0
 */
import {
  type PeerConfig,
  type RTCRtcpFeedback,
  type RTCRtpCodecParameters,
  useAbsSendTime,
  useH264,
  useNACK,
  useOPUS,
  usePLI,
  useREMB,
  useSdesMid,
  useTransportWideCC,
  useTWCC,
  useVP8,
  useVP9
} from "werift"
import type { VideoCodecPreference, WebRtcTransportConfig } from "../config/WebRtcTransportConfig.ts"
import { sctpPeerConfig } from "../datachannel/DataChannelOptions.ts"

const isLoopback = (host: string) => host === "127.0.0.1" || host === "::1" || host.startsWith("127.")

/** Video feedback: NACK (werift retransmits), PLI (keyframes), REMB (understood), transport-cc (sent). */
const videoFeedback = (): Array<RTCRtcpFeedback> => [useNACK(), usePLI(), useREMB(), useTWCC()]

const videoCodecs: Record<VideoCodecPreference, () => RTCRtpCodecParameters> = {
  VP9: () => useVP9({ parameters: "profile-id=0", rtcpFeedback: videoFeedback() }),
  H264: () => useH264({ parameters: "profile-level-id=42e01f;packetization-mode=1;level-asymmetry-allowed=1", rtcpFeedback: videoFeedback() }),
  VP8: () => useVP8({ rtcpFeedback: videoFeedback() })
}

/** The configured codec first, then the contract's fallback order VP9 → H.264 → VP8. */
export const videoCodecOrder = (preferred: VideoCodecPreference): ReadonlyArray<VideoCodecPreference> =>
  [preferred, ...(["VP9", "H264", "VP8"] as const).filter((codec) => codec !== preferred)]

/**
 * Header extensions, one object per URI shared by both kinds: werift numbers the audio list then the video
 * list, so a shared object ends with one id in every m-section (BUNDLE wants one id per URI).
 */
const headerExtensions = (): PeerConfig["headerExtensions"] => {
  const mid = useSdesMid()
  const transportWideCc = useTransportWideCC()
  return { audio: [mid, transportWideCc], video: [mid, transportWideCc, useAbsSendTime()] }
}

/** werift options for one peer connection of a transport configured with `config`. */
export const rtcConfiguration = (config: WebRtcTransportConfig): Partial<PeerConfig> => ({
  iceServers: [
    ...config.stunServers.map((urls) => ({ urls })),
    ...config.turnServers.map(({ url, username, credential }) => ({ urls: url, username, credential }))
  ],
  iceTransportPolicy: config.iceTransportPolicy,
  iceUseIpv6: false,
  bundlePolicy: "max-bundle",
  ...sctpPeerConfig(config.sctpMtu),
  codecs: {
    audio: [useOPUS({ rtcpFeedback: [useTWCC()] })],
    video: videoCodecOrder(config.videoCodec).map((codec) => videoCodecs[codec]())
  },
  headerExtensions: headerExtensions(),
  ...(config.candidateHosts === "loopback"
    ? {
      // werift skips loopback when gathering (field notes pitfall 2).
      iceAdditionalHostAddresses: ["127.0.0.1"],
      iceFilterCandidatePair: (pair) => isLoopback(pair.localCandidate.host) && isLoopback(pair.remoteCandidate.host)
    }
    : {})
})
