/**
 * The transport's configuration: a Schema with the contract's fields and defaults, and `decodeConfig`, which
 * turns any input into a validated config or an `InvalidConfig` naming the offending field.
 *
 * @since 0.1.0
 */
import { Effect, Schema, SchemaIssue } from "effect"
import { DEFAULT_SCTP_MTU } from "../datachannel/DataChannelOptions.ts"
import { InvalidConfig } from "../errors.ts"

const withDefault = <S extends Schema.Top>(value: S["Encoded"]) => (schema: S) =>
  schema.pipe(Schema.withDecodingDefaultKey(Effect.succeed(value)))

const between = (minimum: number, maximum: number) => Schema.Int.check(Schema.isBetween({ minimum, maximum }))

/** `^[A-Za-z0-9_-]{1,64}$`, as the signaling protocol requires. */
export const PeerIdPattern = /^[A-Za-z0-9_-]{1,64}$/

/** A peer id as the signaling protocol defines it. */
export const PeerId = Schema.String.check(
  Schema.isPattern(PeerIdPattern, { message: "peer id must match ^[A-Za-z0-9_-]{1,64}$" })
)

const StunUrl = Schema.String.check(
  Schema.isPattern(/^stuns?:(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/, {
    message: "expected stun:<host>[:port] or stuns:<host>[:port]"
  })
)

const TurnUrl = Schema.String.check(
  Schema.isPattern(/^turns?:(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?(\?transport=(udp|tcp))?$/, {
    message: "expected turn:<host>[:port][?transport=udp|tcp]"
  })
)

/** A TURN relay with its long-term credentials. */
export const TurnServer = Schema.Struct({
  url: TurnUrl,
  username: Schema.String.check(Schema.isMinLength(1)),
  credential: Schema.String.check(Schema.isMinLength(1))
})
export type TurnServer = typeof TurnServer.Type

/**
 * Which local/remote candidate hosts ICE may pair. `"loopback"` keeps every pair on 127.0.0.1 (tests,
 * single-machine demos); `"any"` allows every interface (production).
 */
export const CandidateHosts = Schema.Literals(["loopback", "any"])
export type CandidateHosts = typeof CandidateHosts.Type

/** `"relay"` uses TURN relays only (hides host addresses; needs `turnServers`), `"all"` any candidate. */
export const IceTransportPolicy = Schema.Literals(["all", "relay"])
export type IceTransportPolicy = typeof IceTransportPolicy.Type

/**
 * What to do with an offer from a peer we did not call: `"auto"` answers while under `maxPeers` (and refuses
 * with reason `max_peers` above it), `"reject"` refuses every incoming offer.
 */
export const AcceptPolicy = Schema.Literals(["auto", "reject"])
export type AcceptPolicy = typeof AcceptPolicy.Type

const fraction = Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 1 }))

/**
 * Backoff (design.md defaults) for re-establishing the signaling link and for re-connecting a peer whose
 * connection failed: the delay before attempt n is `min(initialDelayMs · multiplier^(n-1), maxDelayMs)`,
 * stretched by a random 0..`jitter` fraction. `maxRetries: 0` turns both off.
 */
export const ReconnectPolicy = Schema.Struct({
  maxRetries: between(0, 100).pipe(withDefault(5)),
  initialDelayMs: between(10, 60_000).pipe(withDefault(1_000)),
  maxDelayMs: between(10, 600_000).pipe(withDefault(30_000)),
  multiplier: Schema.Finite.check(Schema.isBetween({ minimum: 1, maximum: 10 })).pipe(withDefault(2)),
  jitter: fraction.pipe(withDefault(0.25))
})
export type ReconnectPolicy = typeof ReconnectPolicy.Type

/**
 * Per remote peer (design.md defaults): after `failureThreshold` consecutive failed connection attempts
 * `connectPeer` fails fast with `CircuitOpen` for `recoveryMs`; then attempts go through again, and
 * `successThreshold` successful connections close it.
 */
export const CircuitBreakerPolicy = Schema.Struct({
  failureThreshold: between(1, 100).pipe(withDefault(5)),
  successThreshold: between(1, 100).pipe(withDefault(2)),
  recoveryMs: between(100, 3_600_000).pipe(withDefault(30_000))
})
export type CircuitBreakerPolicy = typeof CircuitBreakerPolicy.Type

/** Preferred video codec; the other two stay offered as fallbacks. */
export const VideoCodecPreference = Schema.Literals(["VP9", "H264", "VP8"])
export type VideoCodecPreference = typeof VideoCodecPreference.Type

/**
 * The configuration of one `WebRtcTransport` (contract section 1, camelCased). Every field but
 * `signalingUrl`, `peerId` and `stunServers` has a default.
 */
export const WebRtcTransportConfig = Schema.Struct({
  signalingUrl: Schema.String.check(
    Schema.isPattern(/^wss?:\/\/[^\s/]+(\/\S*)?$/, { message: "expected a ws:// or wss:// url" })
  ),
  peerId: PeerId,
  /** Announce token (`mintToken` of the signaling server), needed when the server has a secret. */
  token: Schema.optional(Schema.NonEmptyString),
  /** Non-empty: werift would otherwise fall back to a public STUN server (field notes pitfall 1). */
  stunServers: Schema.Array(StunUrl).check(Schema.isMinLength(1, { message: "at least one STUN url is required" })),
  turnServers: Schema.Array(TurnServer).pipe(withDefault([])),
  maxPeers: between(1, 64).pipe(withDefault(10)),
  audioCodec: Schema.Literals(["Opus"]).pipe(withDefault("Opus")),
  videoCodec: VideoCodecPreference.pipe(withDefault("VP9")),
  enableDataChannel: Schema.Boolean.pipe(withDefault(true)),
  /**
   * SCTP packet size of the data channel. Raise it (e.g. 8000: about 7x the throughput) only when every peer
   * is werift on a path that carries large datagrams, such as loopback: browsers fail the connection on the
   * first message that needs a packet over about 1200 bytes, and real networks fragment.
   */
  sctpMtu: between(DEFAULT_SCTP_MTU, 16_000).pipe(withDefault(DEFAULT_SCTP_MTU)),
  jitterBufferSizeMs: between(50, 200).pipe(withDefault(50)),
  rtcpIntervalMs: between(1_000, 5_000).pipe(withDefault(5_000)),
  connectTimeoutMs: between(100, 60_000).pipe(withDefault(10_000)),
  candidateHosts: CandidateHosts.pipe(withDefault("any")),
  iceTransportPolicy: IceTransportPolicy.pipe(withDefault("all")),
  acceptPolicy: AcceptPolicy.pipe(withDefault("auto")),
  reconnect: ReconnectPolicy.pipe(withDefault({})),
  circuitBreaker: CircuitBreakerPolicy.pipe(withDefault({}))
})

/** A validated configuration, every default filled in. */
export type WebRtcTransportConfig = typeof WebRtcTransportConfig.Type
/** What a user writes: the required fields plus any overrides. */
export type WebRtcTransportConfigInput = typeof WebRtcTransportConfig.Encoded

const formatIssues = SchemaIssue.makeFormatterStandardSchemaV1()

/** Validates `input`; the error's `field` is the dotted path of the first bad value (e.g. `turnServers.0.url`). */
export const decodeConfig = (input: WebRtcTransportConfigInput): Effect.Effect<WebRtcTransportConfig, InvalidConfig> =>
  Schema.decodeUnknownEffect(WebRtcTransportConfig)(input).pipe(
    Effect.mapError((error) => {
      const first = formatIssues(error.issue).issues[0]
      const field = first?.path?.map((segment) => String(typeof segment === "object" ? segment.key : segment)).join(".") ?? ""
      return new InvalidConfig({
        field,
        message: `invalid config${field === "" ? "" : ` field ${field}`}: ${first?.message ?? error.message}`
      })
    })
  )
