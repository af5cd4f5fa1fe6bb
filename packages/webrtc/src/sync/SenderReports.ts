/**
 * RTCP sender reports on werift, the part werift does not do right for lip sync.
 *
 * What werift 0.25.2 does (read in `lib/webrtc/src/media/rtpSender.js`, `rtpReceiver.js`, `utils.js`):
 * - `RTCRtpSender.runRtcp` sends an SR every 0.5–1.5 s (random, not configurable), mapping the RTP
 *   timestamp of the last packet *sent* to the time it was sent. That is the send time, not the capture
 *   time, so a sender that delays one stream (encoding, pacing) reports a wrong mapping for it.
 * - Its `ntpTime()` writes the decimal digits of the milliseconds into the NTP fraction field
 *   (12.5 s → fraction 5), which is not RFC 3550 NTP; remote receivers decode it wrongly.
 * - `RTCRtpReceiver.onRtcp` emits every RTCP packet routed to the receiver, sender reports included.
 *
 * So our senders replace werift's SR loop with {@link runSenderReports} (standard NTP, capture-clock
 * mapping, our interval), and receivers read SRs from `onRtcp` with {@link senderReportsOf}.
 *
 * @since 0.1.0
 */
import { Clock, Duration, Effect, Queue, Schedule, type Scope, Stream } from "effect"
import { RtcpSenderInfo, RtcpSrPacket, type RTCRtpReceiver, type RTCRtpSender } from "werift"
import { InvalidConfig } from "../errors.ts"
import type { SenderReport } from "./ClockMapping.ts"
import { ntpToUnixUs, unixUsToNtp } from "./NtpTime.ts"

/** Default interval between our sender reports (`rtcp_interval_ms` of the contract). */
export const DEFAULT_RTCP_INTERVAL_MS = 5000
/** Shorter intervals only add load: RFC 3550 reports every few seconds; tests use a few hundred ms. */
export const MIN_RTCP_INTERVAL_MS = 50

export interface SenderReportOptions {
  readonly sender: RTCRtpSender
  /** The RTP timestamp of media captured at a given wall-clock time (Unix ms): the sender's media clock. */
  readonly rtpTimestampAt: (unixMs: number) => number
  /** Packets and payload octets sent so far, for the SR's counters. */
  readonly counts: () => { readonly packets: number; readonly octets: number }
  /** Default {@link DEFAULT_RTCP_INTERVAL_MS}; at least {@link MIN_RTCP_INTERVAL_MS}. */
  readonly intervalMs?: number
  /** Whether the media clock is known yet (e.g. no frame sent so far); ticks before it send nothing. */
  readonly ready?: () => boolean
}

/** The SR packet for `sender` at `unixMs`. */
export const makeSenderReport = (options: SenderReportOptions, unixMs: number): RtcpSrPacket => {
  const { packets, octets } = options.counts()
  return new RtcpSrPacket({
    ssrc: options.sender.ssrc,
    senderInfo: new RtcpSenderInfo({
      ntpTimestamp: unixUsToNtp(unixMs * 1000),
      rtpTimestamp: options.rtpTimestampAt(unixMs) >>> 0,
      packetCount: packets >>> 0,
      octetCount: octets >>> 0
    })
  })
}

/**
 * Send a sender report for `sender` now and then every `intervalMs`, until the scope closes. werift's own
 * SR loop is kept from starting (it would contradict ours with send-time mappings): call this before the
 * first RTP packet is written. A failed send (transport not yet connected) is retried on the next tick.
 * Fails with `InvalidConfig` (field `rtcpIntervalMs`) for an interval below {@link MIN_RTCP_INTERVAL_MS}.
 */
export const runSenderReports = (options: SenderReportOptions): Effect.Effect<void, InvalidConfig, Scope.Scope> =>
  Effect.gen(function*() {
    const intervalMs = options.intervalMs ?? DEFAULT_RTCP_INTERVAL_MS
    if (!(intervalMs >= MIN_RTCP_INTERVAL_MS)) {
      return yield* new InvalidConfig({
        field: "rtcpIntervalMs",
        message: `rtcpIntervalMs must be at least ${MIN_RTCP_INTERVAL_MS}, got ${intervalMs}`
      })
    }
    // `rtcpRunning` is public in werift's types; setting it makes `runRtcp` return at once.
    options.sender.rtcpRunning = true
    const ready = options.ready ?? (() => true)
    const sendOne = Effect.flatMap(Clock.currentTimeMillis, (now) =>
      !ready() ? Effect.void : Effect.tryPromise(() => options.sender.dtlsTransport.sendRtcp([makeSenderReport(options, now)])).pipe(Effect.ignore))
    yield* Effect.forkScoped(Effect.repeat(sendOne, Schedule.spaced(Duration.millis(intervalMs))))
  })

/** The sender reports a werift receiver gets, as NTP↔RTP mappings (standard RFC 3550 NTP). */
export const senderReportsOf = (receiver: RTCRtpReceiver): Stream.Stream<SenderReport> =>
  Stream.callback<SenderReport>((queue) =>
    Effect.acquireRelease(
      Effect.sync(() =>
        receiver.onRtcp.subscribe((packet) => {
          if (packet instanceof RtcpSrPacket) {
            Queue.offerUnsafe(queue, {
              ssrc: packet.ssrc,
              ntpUs: ntpToUnixUs(packet.senderInfo.ntpTimestamp),
              rtpTimestamp: packet.senderInfo.rtpTimestamp
            })
          }
        })
      ),
      (subscription) => Effect.sync(() => subscription.unSubscribe())
    )
  )
