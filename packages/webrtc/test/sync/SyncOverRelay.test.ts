/**
 * End to end: two in-process werift peers connected through the netsim impairment relay (lossy, jittery,
 * reordering, duplicating), synthetic RTP audio (20 ms frames, 48 kHz) and video (25 fps, 90 kHz) with
 * our sender reports, into the SyncManager. The sender deliberately writes its video 80 ms after capture.
 *
 * How the relay sits between the peers (no trickle): each peer's SDP goes to the other with every
 * `a=candidate` rewritten to a relay forwarding to the original address, so all ICE checks, DTLS, RTP and
 * RTCP in both directions cross a relay. The relays are impaired once the peers are connected.
 */
import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Queue, Schedule, Stream } from "effect"
import { type ImpairmentConfig, makeUdpRelay, rewriteSdpCandidates, type UdpRelay } from "@remotemedia/netsim"
import { makeStunResponder } from "@remotemedia/signaling-server"
import {
  MediaStreamTrack,
  RTCPeerConnection,
  type RTCRtpReceiver,
  RtpHeader,
  RtpPacket,
  type RTCTrackEvent
} from "werift"
import { decodeConfig } from "../../src/config/WebRtcTransportConfig.ts"
import { rtcConfiguration } from "../../src/peer/rtcConfiguration.ts"
import { makeSyncManager, runSenderReports, senderReportsOf, type SyncedFrame } from "../../src/sync/index.ts"

const AUDIO_RTP_BASE = 1_000
const VIDEO_RTP_BASE = 7_000_000
const VIDEO_SEND_DELAY_MS = 80
const AUDIO_FRAMES = 150
const impairment: ImpairmentConfig = { loss: 0.03, delayMs: 5, jitterMs: 15, reorder: 0.05, reorderDelayMs: 15, duplicate: 0.01 }

/** A werift peer with the transport's own configuration (loopback candidates, our STUN only), VP8 first. */
const makePeer = (stunUrl: string) =>
  Effect.acquireRelease(
    Effect.map(
      decodeConfig({ signalingUrl: "ws://127.0.0.1:1", peerId: "sync", stunServers: [stunUrl], candidateHosts: "loopback", videoCodec: "VP8" }),
      (config) => new RTCPeerConnection(rtcConfiguration(config))
    ),
    (pc) => Effect.promise(() => pc.close())
  )

/** Resolves when `pc` has gathered all its candidates (they are then in its local SDP). */
const gathered = (pc: RTCPeerConnection) =>
  Effect.callback<void>((resume) => {
    if (pc.iceGatheringState === "complete") return resume(Effect.void)
    const { unSubscribe } = pc.iceGatheringStateChange.subscribe((state) => {
      if (state === "complete") {
        unSubscribe()
        resume(Effect.void)
      }
    })
  }).pipe(Effect.timeout("5 seconds"))

const connected = (pc: RTCPeerConnection) =>
  Effect.callback<void, Error>((resume) => {
    if (pc.connectionState === "connected") return resume(Effect.void)
    const { unSubscribe } = pc.connectionStateChange.subscribe((state) => {
      if (state === "connected" || state === "failed") {
        unSubscribe()
        resume(state === "connected" ? Effect.void : Effect.fail(new Error("peer connection failed")))
      }
    })
  }).pipe(Effect.timeout("10 seconds"))

describe("SyncManager over the impairment relay", () => {
  it.live("keeps audio in order with bounded delay and corrects 80 ms late video to within ±20 ms", () =>
    Effect.gen(function*() {
      const stun = yield* makeStunResponder()
      const sender = yield* makePeer(stun.url)
      const receiver = yield* makePeer(stun.url)
      const relays: Array<UdpRelay> = []
      const throughRelay = (sdp: string) =>
        rewriteSdpCandidates(sdp, (target) =>
          makeUdpRelay({ target, seed: 1000 + relays.length }).pipe(
            Effect.tap((relay) => Effect.sync(() => relays.push(relay))),
            Effect.map((relay) => relay.address)
          ))

      const audioTrack = new MediaStreamTrack({ kind: "audio" })
      const videoTrack = new MediaStreamTrack({ kind: "video" })
      const audioSender = sender.addTransceiver(audioTrack, { direction: "sendonly" }).sender
      const videoSender = sender.addTransceiver(videoTrack, { direction: "sendonly" }).sender

      const tracks = yield* Deferred.make<Array<RTCTrackEvent>>()
      const trackEvents: Array<RTCTrackEvent> = []
      receiver.ontrack = (event) => {
        trackEvents.push(event)
        if (trackEvents.length === 2) Deferred.doneUnsafe(tracks, Effect.succeed(trackEvents))
      }

      // Offer/answer, every candidate behind a relay.
      yield* Effect.promise(() => sender.setLocalDescription(sender.createOffer() as never))
      yield* gathered(sender)
      const offer = yield* throughRelay(sender.localDescription!.sdp)
      yield* Effect.promise(() => receiver.setRemoteDescription({ type: "offer", sdp: offer }))
      yield* Effect.promise(async () => receiver.setLocalDescription(await receiver.createAnswer()))
      yield* gathered(receiver)
      const answer = yield* throughRelay(receiver.localDescription!.sdp)
      yield* Effect.promise(() => sender.setRemoteDescription({ type: "answer", sdp: answer }))
      yield* Effect.all([connected(sender), connected(receiver)], { concurrency: 2 })
      assert.isAbove(relays.length, 0)
      // Connect over a clean link (werift's DTLS handshake is fragile under loss), then degrade it.
      yield* Effect.forEach(relays, (relay) => relay.impair({ toTarget: impairment, fromTarget: impairment }))

      // Receiver: RTP and sender reports into the SyncManager.
      const sync = yield* makeSyncManager<{ captureMs: number }>({ stableAfterReports: 2 })
      const captureOf = (kind: string, rtp: number) =>
        kind === "audio" ? (rtp - AUDIO_RTP_BASE) / 48 : (rtp - VIDEO_RTP_BASE) / 90
      const rtpIn = (event: RTCTrackEvent) =>
        Stream.callback<RtpPacket>((queue) =>
          Effect.acquireRelease(
            Effect.sync(() => event.track.onReceiveRtp.subscribe((rtp) => void Queue.offerUnsafe(queue, rtp))),
            (subscription) => Effect.sync(() => subscription.unSubscribe())
          )).pipe(
            Stream.runForEach((rtp) =>
              sync.pushFrame({
                ssrc: rtp.header.ssrc,
                kind: event.track.kind === "audio" ? "audio" : "video",
                seq: rtp.header.sequenceNumber,
                rtpTimestamp: rtp.header.timestamp,
                payload: { captureMs: captureOf(event.track.kind, rtp.header.timestamp) }
              }))
          )
      const receivers = new Set<RTCRtpReceiver>()
      for (const event of yield* Deferred.await(tracks).pipe(Effect.timeout("5 seconds"))) {
        yield* Effect.forkScoped(rtpIn(event))
        receivers.add(event.receiver)
      }
      for (const r of receivers) {
        yield* Effect.forkScoped(Stream.runForEach(senderReportsOf(r), (report) => sync.pushSenderReport(report)))
      }

      const released: Array<SyncedFrame<{ captureMs: number }>> = []
      const done = yield* Deferred.make<void>()
      yield* Effect.forkScoped(Stream.runForEach(sync.frames, (frame) =>
        Effect.sync(() => {
          released.push(frame)
          if (frame.kind === "audio" && frame.payload.captureMs >= (AUDIO_FRAMES - 10) * 20) Deferred.doneUnsafe(done, Effect.void)
        })))

      // Sender: our sender reports every 250 ms from the capture clock, then 20 ms media ticks from t0.
      const t0 = Date.now()
      const counts = { audio: { packets: 0, octets: 0 }, video: { packets: 0, octets: 0 } }
      yield* runSenderReports({ sender: audioSender, intervalMs: 250, counts: () => counts.audio, rtpTimestampAt: (ms) => AUDIO_RTP_BASE + Math.round((ms - t0) * 48) })
      yield* runSenderReports({ sender: videoSender, intervalMs: 250, counts: () => counts.video, rtpTimestampAt: (ms) => VIDEO_RTP_BASE + Math.round((ms - t0) * 90) })
      const write = (track: MediaStreamTrack, count: { packets: number; octets: number }, seq: number, timestamp: number) => {
        const payload = Buffer.alloc(track.kind === "audio" ? 80 : 600, seq)
        track.writeRtp(new RtpPacket(new RtpHeader({ sequenceNumber: seq, timestamp, marker: true, payloadType: 96 }), payload))
        count.packets++
        count.octets += payload.length
      }
      // Frames follow the capture clock, not the timer: each tick writes every frame that is due by now, so
      // a late timer (a busy event loop) delays a few frames once instead of shifting all later ones.
      // Audio frame i is captured at t0 + 20·i and sent at once; video frame j is captured at t0 + 40·j
      // and sent 80 ms later.
      let nextAudio = 0
      let nextVideo = 0
      const mediaTick = Effect.sync(() => {
        const elapsedMs = Date.now() - t0
        for (; nextAudio < AUDIO_FRAMES && nextAudio * 20 <= elapsedMs; nextAudio++) {
          write(audioTrack, counts.audio, nextAudio, AUDIO_RTP_BASE + nextAudio * 960)
        }
        for (; nextVideo * 40 + VIDEO_SEND_DELAY_MS <= elapsedMs; nextVideo++) {
          write(videoTrack, counts.video, nextVideo, VIDEO_RTP_BASE + nextVideo * 3600)
        }
      })
      yield* Effect.forkScoped(Effect.repeat(mediaTick, Schedule.spaced("5 millis")))
      yield* Deferred.await(done).pipe(Effect.timeout("15 seconds"))

      const audio = released.filter((f) => f.kind === "audio")
      const stats = yield* sync.stats
      const delays = audio.map((f) => f.releaseMs - (t0 + f.payload.captureMs))
      const sorted = [...delays].sort((a, b) => a - b)
      const impaired = relays.reduce((n, r) => n + r.counters().toTarget.lost + r.counters().fromTarget.lost + r.counters().toTarget.reordered + r.counters().fromTarget.reordered, 0)
      const latency = new Map<string, number>()
      for (const f of released) {
        if (f.syncState === "Synced") latency.set(`${f.kind}@${f.payload.captureMs}`, f.releaseMs - f.payload.captureMs)
      }
      const offsets: Array<number> = []
      for (const [key, videoLatency] of latency) {
        const audioLatency = key.startsWith("video@") ? latency.get(key.replace("video@", "audio@")) : undefined
        if (audioLatency !== undefined) offsets.push(videoLatency - audioLatency)
      }
      const absOffsets = offsets.map(Math.abs).sort((a, b) => a - b)
      const percentile = (values: ReadonlyArray<number>, p: number) => values[Math.min(values.length - 1, Math.floor(values.length * p))]!
      console.log(JSON.stringify({
        audioDelayMs: { min: sorted[0], median: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), max: sorted.at(-1) },
        avOffsetMs: { pairs: offsets.length, min: Math.min(...offsets), median: percentile([...offsets].sort((a, b) => a - b), 0.5), max: Math.max(...offsets) },
        impaired,
        stats: stats.map((s) => ({ kind: s.kind, reports: s.senderReports, ...s.buffer }))
      }))

      assert.isAbove(impaired, 0, "the relay impaired the traffic")
      const seqs = audio.map((f) => f.extendedSeq)
      assert.deepStrictEqual(seqs, [...seqs].sort((a, b) => a - b), "audio in order")
      assert.strictEqual(new Set(seqs).size, seqs.length, "no duplicate audio")
      assert.isAbove(audio.length, AUDIO_FRAMES * 0.85)
      // Bounded: network + jitter buffer (≤ 200 ms) + the hold that matches the 80 ms late video, about
      // 150-250 ms on an idle machine. Event-loop stalls on these shared 2-core machines count as network
      // jitter and raise it (300-450 ms seen at load average 10), hence a ceiling rather than a tight bound.
      assert.isAtMost(percentile(sorted, 0.95), 700, "audio delay bounded")
      assert.isTrue(released.some((f) => f.syncState === "Synced"), "reached Synced")
      assert.strictEqual(yield* sync.syncState, "Synced")
      // Uncorrected, video would trail its audio by 80 ms. Stalls of the (shared) sender or receiver
      // process can make single frames miss their slot, so: the median and 90 % of pairs within ±20 ms.
      assert.isAbove(offsets.length, 20)
      assert.isAtMost(percentile(absOffsets, 0.5), 10, "median A/V offset")
      assert.isAtMost(percentile(absOffsets, 0.9), 20, "90th percentile A/V offset")
    }))
})
