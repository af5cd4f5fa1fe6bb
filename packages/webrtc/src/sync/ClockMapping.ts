/**
 * Maps one sender's RTP timestamps to its wall clock (and back) from RTCP sender reports:
 * `wall_us = ntp_us + (rtp − rtp_base) / rate · 1e6 · correction`, with the drift correction of
 * {@link DriftEstimator}. A sender report that disagrees with the current timeline by more than 2 s
 * (a restarted sender, a timestamp jump) resets the timeline.
 *
 * @since 0.1.0
 */
import { DriftEstimator } from "./DriftEstimator.ts"
import { SequenceUnwrapper } from "./SequenceUnwrapper.ts"

/** A received RTCP sender report, reduced to its clock mapping. */
export interface SenderReport {
  readonly ssrc: number
  /** The sender's wall clock at `rtpTimestamp`, in Unix microseconds (see `ntpToUnixUs`). */
  readonly ntpUs: number
  /** 32-bit RTP timestamp that corresponds to `ntpUs`. */
  readonly rtpTimestamp: number
}

/** What happened to the timeline when a report was applied. */
export type MappingUpdate = "started" | "updated" | "reset"

/** Reports that disagree with the timeline by more than this reset it. */
export const TIMELINE_RESET_US = 2_000_000

/** NTP↔RTP mapping of one SSRC. */
export class ClockMapping {
  readonly clockRate: number
  readonly drift = new DriftEstimator()
  readonly #rtp = new SequenceUnwrapper(32)
  #baseNtpUs: number | undefined
  #baseRtp = 0
  #firstNtpUs = 0
  #firstRtp = 0
  #reports = 0

  constructor(clockRate: number) {
    this.clockRate = clockRate
  }

  /** Apply a sender report; the latest report becomes the base of the mapping. */
  observe(report: SenderReport): MappingUpdate {
    const rtp = this.#rtp.unwrap(report.rtpTimestamp)
    if (this.#baseNtpUs === undefined) {
      this.#start(report.ntpUs, rtp)
      return "started"
    }
    if (Math.abs(this.#wallClockOf(rtp) - report.ntpUs) > TIMELINE_RESET_US) {
      this.#rtp.reset()
      this.drift.reset()
      this.#start(report.ntpUs, this.#rtp.unwrap(report.rtpTimestamp))
      return "reset"
    }
    this.#reports++
    this.drift.observe({
      wallSeconds: (report.ntpUs - this.#firstNtpUs) / 1e6,
      mediaSeconds: (rtp - this.#firstRtp) / this.clockRate
    })
    this.#baseNtpUs = report.ntpUs
    this.#baseRtp = rtp
    return "updated"
  }

  /** Sender reports applied since the timeline started. */
  reports(): number {
    return this.#reports
  }

  hasMapping(): boolean {
    return this.#baseNtpUs !== undefined
  }

  /** The sender's wall clock (Unix µs) at a 32-bit RTP timestamp; undefined before the first report. */
  rtpToWallClock(rtpTimestamp: number): number | undefined {
    return this.#baseNtpUs === undefined ? undefined : this.#wallClockOf(this.#rtp.unwrap(rtpTimestamp))
  }

  /** The 32-bit RTP timestamp at a sender wall-clock time (Unix µs); undefined before the first report. */
  wallClockToRtp(wallUs: number): number | undefined {
    if (this.#baseNtpUs === undefined) return undefined
    const rtp = this.#baseRtp + ((wallUs - this.#baseNtpUs) / 1e6 / this.drift.correction()) * this.clockRate
    return ((Math.round(rtp) % 2 ** 32) + 2 ** 32) % 2 ** 32
  }

  #wallClockOf(extendedRtp: number): number {
    return (this.#baseNtpUs ?? 0) + ((extendedRtp - this.#baseRtp) / this.clockRate) * 1e6 * this.drift.correction()
  }

  #start(ntpUs: number, rtp: number): void {
    this.#baseNtpUs = ntpUs
    this.#baseRtp = rtp
    this.#firstNtpUs = ntpUs
    this.#firstRtp = rtp
    this.#reports = 1
    this.drift.observe({ wallSeconds: 0, mediaSeconds: 0 })
  }
}
