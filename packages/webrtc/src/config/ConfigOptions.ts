/**
 * `configure`'s options (the contract's `ConfigOptions`, camelCased) and the transport's effective media
 * settings they change.
 *
 * Every option is optional; a value outside its range fails with `InvalidOption` naming the field, and then
 * nothing is changed. Ranges (contract section 6), and when the media path follows a change:
 *
 * | option | range | takes effect |
 * |---|---|---|
 * | `targetBitrateKbps` | 16 – 50 000 (16 kbps – 50 Mbps) | live: every peer's video encoder within ~1 s (the adaptive controller's ceiling) |
 * | `adaptiveBitrateEnabled` | boolean | live, at the controller's next step (~1 s) |
 * | `audioBitrateKbps` | 16 – 510 (what Opus can encode) | live: every peer's `sendToPeer` stream within ~1 s; broadcast groups made after it |
 * | `jitterBufferSizeMs` | 50 – 200 | next connection |
 * | `videoFramerateFps` | 10 – 60 | next connection |
 * | `rtcpIntervalMs` | 1 000 – 5 000 | next connection |
 * | `maxVideoResolution` | `"1080p"`-style names or `"WIDTHxHEIGHT"`, 16:9 or 4:3 | live, from the next frame: larger frames are scaled down (aspect ratio kept, even sides; a box for the frame's orientation) |
 * | `iceTimeoutSecs` | 1 – 60 | validated and kept in the settings; connection attempts still use the config's `connectTimeoutMs` |
 *
 * A bitrate is safe to change mid-call (an encoder takes a new target from its next frame, at the cost of
 * one keyframe for video), and so is the resolution limit (a new size reopens the encoder with a keyframe);
 * the others are fixed when a connection's media path is set up.
 *
 * @since 0.1.0
 */
import { Effect, Schema, SchemaIssue } from "effect"
import { InvalidOption } from "../errors.ts"
import type { WebRtcTransportConfig } from "./WebRtcTransportConfig.ts"

/** A video picture size. */
export interface VideoResolution {
  readonly width: number
  readonly height: number
}

/** Named resolutions (16:9) accepted by `maxVideoResolution`, besides `"WIDTHxHEIGHT"`. */
export const namedResolutions: Readonly<Record<string, VideoResolution>> = {
  "2160p": { width: 3840, height: 2160 },
  "1440p": { width: 2560, height: 1440 },
  "1080p": { width: 1920, height: 1080 },
  "720p": { width: 1280, height: 720 },
  "540p": { width: 960, height: 540 },
  "480p": { width: 854, height: 480 },
  "360p": { width: 640, height: 360 },
  "240p": { width: 426, height: 240 }
}

/** Aspect ratios a resolution may have, within 1 % (854x480 is "16:9" as every encoder names it). */
const aspectRatios = [16 / 9, 4 / 3]

/** Parses `"720p"` or `"1280x720"`; a string result says what is wrong with it. */
export const parseResolution = (text: string): VideoResolution | string => {
  const named = namedResolutions[text]
  if (named !== undefined) return named
  const match = /^(\d{2,4})x(\d{2,4})$/.exec(text)
  if (match === null) {
    return `expected one of ${Object.keys(namedResolutions).join(", ")} or WIDTHxHEIGHT, got ${JSON.stringify(text)}`
  }
  const width = Number(match[1])
  const height = Number(match[2])
  if (width < 160 || width > 3840 || height < 90 || height > 2160) return `${text} is outside 160x90 – 3840x2160`
  if (width % 2 !== 0 || height % 2 !== 0) return `${text}: width and height must be even (I420 chroma planes)`
  const ratio = width / height
  if (!aspectRatios.some((r) => Math.abs(ratio - r) / r <= 0.01)) return `${text} is neither 16:9 nor 4:3`
  return { width, height }
}

const between = (minimum: number, maximum: number, unit: string) =>
  Schema.Int.check(Schema.isBetween({ minimum, maximum }, { message: `expected an integer in [${minimum}, ${maximum}] ${unit}` }))

const Resolution = Schema.String.check(Schema.makeFilter((text: string) => {
  const parsed = parseResolution(text)
  return typeof parsed === "string" ? parsed : undefined
}))

/** The contract's `ConfigOptions`: what `configure` takes. Unknown keys are rejected. */
export const ConfigOptions = Schema.Struct({
  adaptiveBitrateEnabled: Schema.optionalKey(Schema.Boolean),
  targetBitrateKbps: Schema.optionalKey(between(16, 50_000, "kbps")),
  maxVideoResolution: Schema.optionalKey(Resolution),
  videoFramerateFps: Schema.optionalKey(between(10, 60, "fps")),
  audioBitrateKbps: Schema.optionalKey(between(16, 510, "kbps")),
  jitterBufferSizeMs: Schema.optionalKey(between(50, 200, "ms")),
  iceTimeoutSecs: Schema.optionalKey(between(1, 60, "s")),
  rtcpIntervalMs: Schema.optionalKey(between(1_000, 5_000, "ms"))
})
export type ConfigOptions = typeof ConfigOptions.Type

/** The media settings in force: what new connections are made with, and live ones follow where safe. */
export interface TransportSettings {
  readonly adaptiveBitrateEnabled: boolean
  /** Video encoder target (the adaptive controller's ceiling when adaptive bitrate is on). */
  readonly targetBitrateKbps: number
  readonly audioBitrateKbps: number
  readonly maxVideoResolution: VideoResolution
  readonly videoFramerateFps: number
  readonly jitterBufferSizeMs: number
  /** How long a connection attempt (SDP + ICE) may take. */
  readonly connectTimeoutMs: number
  readonly rtcpIntervalMs: number
}

/**
 * The settings a transport starts with: its config's jitter buffer, RTCP interval and connect timeout, and
 * the codecs' defaults (1.5 Mbps video at up to 720p30, 64 kbps Opus, adaptive bitrate on).
 */
export const initialSettings = (config: WebRtcTransportConfig): TransportSettings => ({
  adaptiveBitrateEnabled: true,
  targetBitrateKbps: 1_500,
  audioBitrateKbps: 64,
  maxVideoResolution: namedResolutions["720p"]!,
  videoFramerateFps: 30,
  jitterBufferSizeMs: config.jitterBufferSizeMs,
  connectTimeoutMs: config.connectTimeoutMs,
  rtcpIntervalMs: config.rtcpIntervalMs
})

/** `settings` with validated `options` applied (options left out keep their current value). */
export const applyOptions = (settings: TransportSettings, options: ConfigOptions): TransportSettings => {
  const resolution = options.maxVideoResolution === undefined ? undefined : parseResolution(options.maxVideoResolution)
  return {
    adaptiveBitrateEnabled: options.adaptiveBitrateEnabled ?? settings.adaptiveBitrateEnabled,
    targetBitrateKbps: options.targetBitrateKbps ?? settings.targetBitrateKbps,
    audioBitrateKbps: options.audioBitrateKbps ?? settings.audioBitrateKbps,
    maxVideoResolution: typeof resolution === "object" ? resolution : settings.maxVideoResolution,
    videoFramerateFps: options.videoFramerateFps ?? settings.videoFramerateFps,
    jitterBufferSizeMs: options.jitterBufferSizeMs ?? settings.jitterBufferSizeMs,
    connectTimeoutMs: options.iceTimeoutSecs === undefined ? settings.connectTimeoutMs : options.iceTimeoutSecs * 1_000,
    rtcpIntervalMs: options.rtcpIntervalMs ?? settings.rtcpIntervalMs
  }
}

const formatIssues = SchemaIssue.makeFormatterStandardSchemaV1()

/** Validates user input; the error's `field` is the first bad (or unknown) option. */
export const decodeOptions = (input: unknown): Effect.Effect<ConfigOptions, InvalidOption> =>
  Schema.decodeUnknownEffect(ConfigOptions)(input, { onExcessProperty: "error" }).pipe(
    Effect.mapError((error) => {
      const first = formatIssues(error.issue).issues[0]
      const field = first?.path?.map((segment) => String(typeof segment === "object" ? segment.key : segment)).join(".") ?? ""
      return new InvalidOption({
        field,
        message: field === ""
          ? `invalid options: ${first?.message ?? error.message}`
          : `invalid option ${field}: ${first?.message ?? error.message}`
      })
    })
  )
