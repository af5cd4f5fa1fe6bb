/**
 * werift's sender-side bandwidth estimator keeps the sent packets that transport-cc feedback may still
 * report. werift 0.25.2 meant to prune older ones but walked the keys of the new record instead of the
 * history, so it kept every packet sent (up to 65 536 per sender, ~100 bytes each): a streaming peer's heap
 * grew by ~1.3 MiB/min per 3-peer mesh process in the soak. Patched: a ring of 1024 slots by transport-wide
 * sequence number.
 */
import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import { PacketStatus, RecvDelta, RTCRtpSender, RunLengthChunk, TransportWideCC } from "werift"

/** The patch's history length (packets). */
const HISTORY = 1024

const estimator = () => new RTCRtpSender("audio").senderBWE
/** Records in the estimator's history (a private field). */
const historySize = (bwe: RTCRtpSender["senderBWE"]) => Object.values((bwe as unknown as { sentInfos: object }).sentInfos).length

/** Sends one packet per transport-wide sequence number in `seqs` (16-bit, wrapping), 20 ms apart. */
const sendAll = (bwe: RTCRtpSender["senderBWE"], seqs: Iterable<number>) => {
  let atMs = 1_000
  for (const seq of seqs) {
    bwe.rtpPacketSent({ wideSeq: seq & 0xffff, size: 100, sendingAtMs: atMs, sentAtMs: atMs })
    atMs += 20
  }
}

/** A receiver's transport-cc feedback: `count` packets from `first` on, all received 20 ms apart. */
const feedbackFor = (first: number, count: number) =>
  new TransportWideCC({
    senderSsrc: 1,
    mediaSourceSsrc: 2,
    baseSequenceNumber: first,
    packetStatusCount: count,
    referenceTime: 1,
    fbPktCount: 0,
    // werift's run-length chunk yields runLength + 1 results.
    packetChunks: [new RunLengthChunk({ packetStatus: PacketStatus.TypeTCCPacketReceivedSmallDelta, runLength: count - 1 })],
    recvDeltas: Array.from({ length: count }, () => new RecvDelta({ type: PacketStatus.TypeTCCPacketReceivedSmallDelta, delta: 20_000 }))
  })

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i)

describe("werift sender bandwidth estimator history", () => {
  it("holds at most 1024 sent packets however many were sent, with other senders' packets in between", () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 0xffff }),
      fc.integer({ min: 2 * HISTORY, max: 70_000 }),
      fc.integer({ min: 1, max: 3 }),
      (start, count, step) => {
        const bwe = estimator()
        sendAll(bwe, range(0, count).map((i) => start + i * step))
        assert.isAtMost(historySize(bwe), HISTORY)
      }
    ), { numRuns: 20 })
  })

  it("feeds the estimate from feedback on the latest packets after the sequence wrapped, not from packets older than the history", () => {
    const latest = estimator()
    sendAll(latest, range(0, 70_000))
    latest.receiveTWCC(feedbackFor((70_000 - 50) & 0xffff, 50))
    assert.isAbove(latest.availableBitrate, 0)

    const stale = estimator()
    sendAll(stale, range(0, 70_000))
    stale.receiveTWCC(feedbackFor(60_000, 50))
    assert.strictEqual(stale.availableBitrate, 0)
  })
})
