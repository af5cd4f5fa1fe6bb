/**
 * One peer's media: the sending halves of its audio and video tracks (with our RTCP sender reports), its
 * own `sendToPeer` sources, adaptive bitrate from its receiver reports, keyframes on its PLI/FIR, and the
 * receive path — RTP → (video: frame assembly) → depacketize → decode → its SyncManager → `deliver`.
 * Everything lives in the peer's scope and ends with the connection.
 *
 * @since 0.1.0
 */
import type { Audio, Video, VideoFrame } from "@remotemedia/runtime-core"
import { Clock, Duration, Effect, Queue, Ref, Schedule, Scope, Semaphore, Stream } from "effect"
import type { MediaStreamTrack, RTCRtpTransceiver, RtpPacket } from "werift"
import type { TransportSettings } from "../config/ConfigOptions.ts"
import { EncodingError, type InvalidDataType, type SendBufferFull } from "../errors.ts"
import type { PeerActor } from "../peer/PeerActor.ts"
import type { StreamSyncStats, SyncedFrame } from "../sync/PeerSync.ts"
import { makeSyncManager } from "../sync/SyncManager.ts"
import type { SyncState } from "../sync/SyncState.ts"
import { runSenderReports, senderReportsOf } from "../sync/SenderReports.ts"
import { OpusCodec } from "./audio/OpusCodec.ts"
import { makeOpusReceiver, type OpusPacket, type OpusReceiver } from "./audio/OpusReceiver.ts"
import { nextBitrate } from "./BitrateController.ts"
import type { IncomingMedia } from "./IncomingMedia.ts"
import { makeAudioSource, makeVideoSource, type MediaSource } from "./MediaSource.ts"
import { reportedLoss } from "./ReceiverReports.ts"
import { rembEstimates, videoShareOf } from "./RembFeedback.ts"
import { depacketize } from "./rtp/Depacketize.ts"
import { makeFrameAssembler } from "./rtp/FrameAssembler.ts"
import { keyframeRequests, makeKeyframeRequester } from "./rtp/KeyframeRequests.ts"
import { codecFromMimeType, type VideoCodecName } from "./rtp/MediaCodecName.ts"
import { AUDIO_CLOCK_RATE, VIDEO_CLOCK_RATE } from "./rtp/RtpClock.ts"
import { makeTrackSender, type TrackSender } from "./TrackSender.ts"
import { VideoCodec, type VideoStreamDecoder } from "./video/VideoCodec.ts"

/** The adaptive controller's floor. */
const minVideoBitrateBps = 100_000
/** Received RTP packets waiting for the decoder before the oldest are dropped. */
const receiveQueuePackets = 1024
/** How often bitrates, frame rate and the adaptive bitrate are re-evaluated. */
const statsIntervalMs = 1_000
/** How long a REMB estimate caps the video bitrate (browsers that send REMB refresh it every second or so). */
const rembLifetimeMs = 5_000

/** Media figures of one peer for `listPeers`. */
export interface PeerMediaInfo {
  readonly syncState: SyncState
  /** Of the video received from the peer, `WxH`. */
  readonly videoResolution: string | undefined
  readonly videoFramerate: number | undefined
  /** Sent to the peer, measured over the last second. */
  readonly audioBitrateKbps: number | undefined
  readonly videoBitrateKbps: number | undefined
}

/** One peer's media. */
export interface PeerMedia {
  readonly peerId: string
  readonly audio: TrackSender
  readonly video: TrackSender
  /** The negotiated video codec (once connected). */
  readonly videoCodec: () => VideoCodecName | undefined
  /** The video bitrate this peer's path allows now (adaptive). */
  readonly videoBitrateBps: () => number
  readonly sendAudio: (audio: Audio) => Effect.Effect<void, InvalidDataType | EncodingError | SendBufferFull>
  readonly sendVideo: (frame: VideoFrame) => Effect.Effect<void, InvalidDataType | EncodingError | SendBufferFull>
  readonly info: Effect.Effect<PeerMediaInfo>
  /** The receive side's jitter buffers and clock sync, per received stream. */
  readonly receivedStreams: Effect.Effect<ReadonlyArray<StreamSyncStats>>
}

/** Options of {@link attach}. */
export interface PeerMediaOptions {
  readonly actor: PeerActor
  readonly settings: Effect.Effect<TransportSettings>
  readonly deliver: (media: IncomingMedia) => Effect.Effect<void>
}

/** The packets of one remote track, from the moment werift reports it. */
const remotePackets = (transceiver: RTCRtpTransceiver) =>
  Stream.callback<RtpPacket>((queue) =>
    Effect.acquireRelease(
      Effect.sync(() => {
        const tracks: Array<{ unSubscribe: () => void }> = []
        const listen = (track: MediaStreamTrack) => tracks.push(track.onReceiveRtp.subscribe((packet) => void Queue.offerUnsafe(queue, packet)))
        transceiver.receiver.tracks.forEach(listen)
        const onTrack = transceiver.onTrack.subscribe((track) => listen(track))
        return [onTrack, tracks] as const
      }),
      ([onTrack, tracks]) => Effect.sync(() => {
        onTrack.unSubscribe()
        tracks.forEach((t) => t.unSubscribe())
      })
    ), { bufferSize: receiveQueuePackets, strategy: "sliding" })

/** Sets up a peer's media in the current scope (the peer's lifetime). */
export const attach = Effect.fn("PeerMedia.attach")(function*(options: PeerMediaOptions) {
  const { actor, deliver } = options
  const peerId = actor.remoteId
  const initial = yield* options.settings
  const opus = yield* OpusCodec
  const videoCodecs = yield* VideoCodec
  const scope = yield* Effect.scope
  const frameIntervalMs = 1000 / initial.videoFramerateFps

  const audio = yield* makeTrackSender({ peerId, sender: actor.audio.sender, kind: "audio", clockRate: AUDIO_CLOCK_RATE, pacingBudgetMs: 0 })
  const video = yield* makeTrackSender({ peerId, sender: actor.video.sender, kind: "video", clockRate: VIDEO_CLOCK_RATE, pacingBudgetMs: frameIntervalMs / 2 })
  for (const [track, sender] of [[audio, actor.audio.sender], [video, actor.video.sender]] as const) {
    yield* runSenderReports({ sender, intervalMs: initial.rtcpIntervalMs, rtpTimestampAt: track.rtpTimestampAt, counts: track.counts, ready: track.started }).pipe(
      Effect.orDie
    )
  }

  const videoCodec = () => {
    const codec = codecFromMimeType(actor.video.sender.codec?.mimeType ?? "")
    return codec === "opus" ? undefined : codec
  }
  let videoBitrateBps = initial.targetBitrateKbps * 1000

  // The peer's own sources, made on first use.
  let audioBitrateBps = initial.audioBitrateKbps * 1000
  const audioSource = yield* makeAudioSource(audioBitrateBps).pipe(Effect.provideService(OpusCodec, opus))
  const maxResolution = Effect.map(options.settings, (settings) => settings.maxVideoResolution)
  const videoSourceLock = yield* Semaphore.make(1)
  let videoSource: MediaSource<VideoFrame> | undefined
  const ownVideoSource = Effect.gen(function*() {
    if (videoSource !== undefined) return videoSource
    const codec = videoCodec()
    if (codec === undefined) return yield* new EncodingError({ codec: "video", message: `no video codec negotiated with ${peerId} yet` })
    const settings = yield* options.settings
    videoSource = yield* makeVideoSource({ codec, bitrateBps: videoBitrateBps, fps: settings.videoFramerateFps, maxResolution }).pipe(
      Effect.provideService(VideoCodec, videoCodecs),
      Scope.provide(scope)
    )
    return videoSource
  }).pipe(videoSourceLock.withPermits(1))

  // Keyframes for whoever owns the video track now; werift's NACK/RTX answers single losses itself.
  yield* keyframeRequests(actor.video).pipe(
    Stream.runForEach(() => Effect.sync(() => video.owner()?.requestKeyframe())),
    Effect.forkScoped
  )

  // Receive path. Audio goes through the jitter buffer still encoded: the Opus decoder needs its packets in
  // order, and concealment needs to see what is missing once the buffer gave up waiting for it.
  const sync = yield* makeSyncManager<OpusPacket | Video>({
    jitterBuffer: { minDelayMs: Math.min(initial.jitterBufferSizeMs, 50), maxDelayMs: Math.max(initial.jitterBufferSizeMs, 50) }
  }).pipe(Effect.orDie)
  const received = { width: 0, height: 0, frames: 0 }
  const pushAudio = (packet: RtpPacket) =>
    sync.pushFrame({
      ssrc: packet.header.ssrc,
      kind: "audio",
      seq: packet.header.sequenceNumber,
      rtpTimestamp: packet.header.timestamp,
      payload: { _tag: "OpusPacket", payload: packet.payload }
    })
  yield* remotePackets(actor.audio).pipe(
    Stream.runForEach((packet) => pushAudio(packet).pipe(Effect.catch((e) => Effect.logDebug(`audio from ${peerId} dropped`, e.message)))),
    Effect.forkScoped
  )

  // A gap waits for three later frames (~100 ms at 30 fps): time for werift's NACK to bring the packet back,
  // which beats a keyframe request, whose big keyframe often loses a packet of its own on a lossy path.
  const assembler = makeFrameAssembler({ lossAfterFrames: 3 })
  const requestKeyframe = makeKeyframeRequester(actor.video.receiver)
  let videoDecoder: VideoStreamDecoder | undefined
  const receiveVideo = (packet: RtpPacket) =>
    Effect.gen(function*() {
      for (const frame of assembler.push(packet)) {
        const codec = videoCodec()
        if (codec === undefined) continue
        videoDecoder ??= yield* videoCodecs.makeDecoder(codec).pipe(Scope.provide(scope), Effect.orDie)
        if (frame.afterLoss) videoDecoder.frameLost()
        const last = frame.packets[frame.packets.length - 1]!
        const decoded = yield* depacketize(codec, frame.packets).pipe(
          Effect.flatMap((data) => videoDecoder!.decode({ data: data.data, isKeyframe: data.isKeyframe, timestampUs: Math.round(frame.timestamp / 0.09) })),
          Effect.catch((error) => Effect.as(Effect.logDebug(`video frame from ${peerId} dropped`, error.message), []))
        )
        if (videoDecoder.needsKeyframe()) yield* requestKeyframe(last.header.ssrc)
        for (const picture of decoded) {
          received.width = picture.width
          received.height = picture.height
          received.frames++
          yield* sync.pushFrame({
            ssrc: last.header.ssrc,
            kind: "video",
            seq: last.header.sequenceNumber,
            rtpTimestamp: frame.timestamp,
            packets: frame.packets.length,
            payload: { _tag: "Video", frame: picture }
          }).pipe(Effect.ignore)
        }
      }
    })
  yield* remotePackets(actor.video).pipe(Stream.runForEach(receiveVideo), Effect.forkScoped)

  for (const transceiver of [actor.audio, actor.video]) {
    yield* senderReportsOf(transceiver.receiver).pipe(Stream.runForEach((report) => Effect.ignore(sync.pushSenderReport(report))), Effect.forkScoped)
  }
  // One remote audio stream at a time: a new SSRC (the sender restarted) starts a fresh decoder.
  let audioReceiver: { readonly ssrc: number; readonly receiver: OpusReceiver } | undefined
  const audioReceiverFor = (ssrc: number) =>
    audioReceiver?.ssrc === ssrc
      ? Effect.succeed(audioReceiver.receiver)
      // Opus in SDP always says 2 channels; decoding to mono downmixes a stereo sender.
      : makeOpusReceiver(1).pipe(
        Effect.provideService(OpusCodec, opus),
        Effect.orDie,
        Effect.tap((receiver) => Effect.sync(() => (audioReceiver = { ssrc, receiver })))
      )
  const deliverSynced = (frame: SyncedFrame<OpusPacket | Video>) =>
    Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      const incoming = (data: Audio | Video, rtpTimestamp: number, concealed: boolean): IncomingMedia => ({
        peerId,
        data,
        rtpTimestamp,
        // Concealed audio stands before the packet that revealed the gap: earlier on the sender's clock.
        senderWallClockUs: frame.senderWallUs === undefined
          ? undefined
          : frame.senderWallUs - (((frame.rtpTimestamp - rtpTimestamp) >>> 0) * 1e6) / AUDIO_CLOCK_RATE,
        releasedAtMs: now,
        syncState: frame.syncState,
        concealed
      })
      if (frame.payload._tag === "Video") return yield* deliver(incoming(frame.payload, frame.rtpTimestamp, false))
      const receiver = yield* audioReceiverFor(frame.ssrc)
      const audio = yield* receiver.receive({ extendedSeq: frame.extendedSeq, rtpTimestamp: frame.rtpTimestamp, payload: frame.payload.payload })
      for (const out of audio) {
        yield* deliver(incoming({ _tag: "Audio", samples: out.samples, sampleRate: AUDIO_CLOCK_RATE, channels: 1 }, out.rtpTimestamp, out.concealed))
      }
    })
  yield* sync.frames.pipe(Stream.runForEach(deliverSynced), Effect.forkScoped)

  // Figures and adaptive bitrate, once a second.
  const figures = yield* Ref.make<Omit<PeerMediaInfo, "syncState">>({
    videoResolution: undefined,
    videoFramerate: undefined,
    audioBitrateKbps: undefined,
    videoBitrateKbps: undefined
  })
  let reportedVideoLoss = 0
  yield* reportedLoss(actor.video).pipe(Stream.runForEach((fraction) => Effect.sync(() => (reportedVideoLoss = fraction))), Effect.forkScoped)
  let remb: { readonly videoBps: number; readonly atMs: number } | undefined
  yield* rembEstimates([actor.audio.sender, actor.video.sender]).pipe(
    Stream.runForEach((estimate) =>
      Effect.sync(() => {
        const videoBps = videoShareOf(estimate, actor.video.sender.ssrc, { ssrc: actor.audio.sender.ssrc, bitrateBps: audioBitrateBps })
        if (videoBps !== undefined) remb = { videoBps, atMs: Date.now() }
      })
    ),
    Effect.forkScoped
  )
  let previous = { audioOctets: 0, videoOctets: 0, frames: 0, atMs: Date.now() }
  const tick = Effect.gen(function*() {
    const now = Date.now()
    const seconds = (now - previous.atMs) / 1000
    const audioOctets = audio.counts().octets
    const videoOctets = video.counts().octets
    yield* Ref.set(figures, {
      videoResolution: received.frames === 0 ? undefined : `${received.width}x${received.height}`,
      videoFramerate: received.frames === 0 ? undefined : Math.round((received.frames - previous.frames) / seconds),
      audioBitrateKbps: ((audioOctets - previous.audioOctets) * 8) / 1000 / seconds,
      videoBitrateKbps: ((videoOctets - previous.videoOctets) * 8) / 1000 / seconds
    })
    previous = { audioOctets, videoOctets, frames: received.frames, atMs: now }
    const settings = yield* options.settings
    // `configure` changes the audio bitrate of live connections within a tick.
    if (settings.audioBitrateKbps * 1000 !== audioBitrateBps) {
      audioBitrateBps = settings.audioBitrateKbps * 1000
      yield* audioSource.setBitrate(audioBitrateBps)
    }
    const maxBps = settings.targetBitrateKbps * 1000
    const next = settings.adaptiveBitrateEnabled
      ? nextBitrate(videoBitrateBps, {
        lossFraction: reportedVideoLoss,
        rttMs: (yield* actor.metrics).latencyMs || undefined,
        // A receiver that stopped sending REMB (or never did) no longer caps the rate.
        estimatedMaxBps: remb !== undefined && now - remb.atMs <= rembLifetimeMs ? remb.videoBps : undefined
      }, { minBps: Math.min(minVideoBitrateBps, maxBps), maxBps })
      : maxBps
    // Reopening the encoder costs a keyframe: follow only changes of 10 % or more.
    if (Math.abs(next - videoBitrateBps) >= videoBitrateBps * 0.1 || next === maxBps && videoBitrateBps !== maxBps) {
      videoBitrateBps = next
      if (videoSource !== undefined) yield* videoSource.setBitrate(next)
    }
  })
  yield* Effect.forkScoped(Effect.repeat(tick, Schedule.spaced(Duration.millis(statsIntervalMs))))

  // Encode and write under one lock per track, so concurrent sends leave in the order they were encoded.
  const audioSend = yield* Semaphore.make(1)
  const videoSend = yield* Semaphore.make(1)
  const media: PeerMedia = {
    peerId,
    audio,
    video,
    videoCodec,
    videoBitrateBps: () => videoBitrateBps,
    sendAudio: (data) => audioSource.encode(data).pipe(Effect.flatMap((batch) => audio.write(audioSource, batch)), audioSend.withPermits(1)),
    sendVideo: (frame) =>
      ownVideoSource.pipe(Effect.flatMap((source) => source.encode(frame).pipe(Effect.flatMap((batch) => video.write(source, batch)))), videoSend.withPermits(1)),
    receivedStreams: sync.stats,
    info: Effect.all({ syncState: sync.syncState, rest: Ref.get(figures) }).pipe(Effect.map(({ syncState, rest }) => ({ syncState, ...rest })))
  }
  return media
})
