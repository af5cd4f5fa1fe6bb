/**
 * Configuration presets: `configure(presets.lowLatency)` sets the media options, and
 * `connectionPresets.lowLatency` holds the fields fixed when a transport is made (codec preference, signaling
 * reconnects, peer limit): `WebRtcTransport.make({ ...yourConfig, ...connectionPresets.lowLatency })`.
 *
 * Starting point: the original SDK's presets (design.md). Where ours differ, it is because of what was
 * measured on this stack (werift-field-notes.md, 720p on 2 cores):
 * - lowLatency prefers H.264, not VP8: libx264 `ultrafast`/`zerolatency` encodes a 720p frame in 2.7 ms
 *   against VP8's 8.1 ms, and end to end over werift took 5.7 ms against VP8's 13–16 ms.
 * - highQuality and mobileNetwork prefer VP9: it was cheaper than VP8 here (6.9 vs 8.1 ms per 720p frame)
 *   and compresses better, which matters most on a constrained mobile link.
 * - Audio bitrates were not in the original: 48 kbps Opus (speech, low delay), 128 kbps (music-grade),
 *   32 kbps (still wideband speech, a fraction of a mobile uplink).
 *
 * | preset | video | jitter buffer | RTCP | target | max res. | fps | audio | ICE timeout | reconnect (retries / first / max / ×) | peers |
 * |---|---|---|---|---|---|---|---|---|---|---|
 * | lowLatency | H.264 | 50 ms | 2 s | 1 500 kbps | 720p | 30 | 48 kbps | 15 s | 10 / 500 ms / 10 s / 1.5 | 10 |
 * | highQuality | VP9 | 100 ms | 5 s | 4 000 kbps | 1080p | 30 | 128 kbps | 30 s | 5 / 1 s / 30 s / 2 | 10 |
 * | mobileNetwork | VP9 | 150 ms | 3 s | 800 kbps | 480p | 24 | 32 kbps | 45 s | 15 / 2 s / 60 s / 1.5 | 5 |
 *
 * Adaptive bitrate stays on in all three (the target is then the ceiling).
 *
 * @since 0.1.0
 */
import type { ConfigOptions } from "./ConfigOptions.ts"
import type { WebRtcTransportConfigInput } from "./WebRtcTransportConfig.ts"

/** The preset names. */
export type PresetName = "lowLatency" | "highQuality" | "mobileNetwork"

/** `configure` options of each preset. */
export const presets: Readonly<Record<PresetName, ConfigOptions>> = {
  lowLatency: {
    adaptiveBitrateEnabled: true,
    targetBitrateKbps: 1_500,
    maxVideoResolution: "720p",
    videoFramerateFps: 30,
    audioBitrateKbps: 48,
    jitterBufferSizeMs: 50,
    iceTimeoutSecs: 15,
    rtcpIntervalMs: 2_000
  },
  highQuality: {
    adaptiveBitrateEnabled: true,
    targetBitrateKbps: 4_000,
    maxVideoResolution: "1080p",
    videoFramerateFps: 30,
    audioBitrateKbps: 128,
    jitterBufferSizeMs: 100,
    iceTimeoutSecs: 30,
    rtcpIntervalMs: 5_000
  },
  mobileNetwork: {
    adaptiveBitrateEnabled: true,
    targetBitrateKbps: 800,
    maxVideoResolution: "480p",
    videoFramerateFps: 24,
    audioBitrateKbps: 32,
    jitterBufferSizeMs: 150,
    iceTimeoutSecs: 45,
    rtcpIntervalMs: 3_000
  }
}

/** The construction-time part of each preset, to spread into a `WebRtcTransportConfigInput`. */
export const connectionPresets: Readonly<Record<PresetName, Partial<WebRtcTransportConfigInput>>> = {
  lowLatency: {
    videoCodec: "H264",
    jitterBufferSizeMs: 50,
    rtcpIntervalMs: 2_000,
    connectTimeoutMs: 15_000,
    reconnect: { maxRetries: 10, initialDelayMs: 500, maxDelayMs: 10_000, multiplier: 1.5 }
  },
  highQuality: {
    videoCodec: "VP9",
    jitterBufferSizeMs: 100,
    rtcpIntervalMs: 5_000,
    connectTimeoutMs: 30_000,
    reconnect: { maxRetries: 5, initialDelayMs: 1_000, maxDelayMs: 30_000, multiplier: 2 }
  },
  mobileNetwork: {
    videoCodec: "VP9",
    jitterBufferSizeMs: 150,
    rtcpIntervalMs: 3_000,
    connectTimeoutMs: 45_000,
    maxPeers: 5,
    reconnect: { maxRetries: 15, initialDelayMs: 2_000, maxDelayMs: 60_000, multiplier: 1.5 }
  }
}
