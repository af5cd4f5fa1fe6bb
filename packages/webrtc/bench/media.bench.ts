/**
 * Media-path benchmark: each of our paths next to the bare library in the same run.
 *
 *   scripts/netns node --conditions=source packages/webrtc/bench/media.bench.ts
 *
 * - Opus: bare libopus encode vs framer + encode + packetize, per 20 ms frame.
 * - 720p VP9 / H.264: bare node-av encode vs our encoder + packetize, per frame (sync and thread pool).
 * - Receive: bare decode vs assemble + depacketize + decode, per frame.
 * - RTP packets per second of CPU: werift packetize + depacketize vs ours (with frame assembly).
 * - Event-loop delay (perf_hooks.monitorEventLoopDelay) while a 720p30 VP9 stream is encoded and decoded,
 *   with the codec on the event loop vs in libuv's thread pool, against an idle 30 fps timer.
 */
import { audio, type VideoFrame } from "@remotemedia/runtime-core"
import { makeSineTone, testPatternFrame } from "@remotemedia/signals"
import opus from "@discordjs/opus"
import { Effect, Exit, Layer, Scope } from "effect"
import { AV_CODEC_ID_H264, AV_CODEC_ID_VP8, AV_CODEC_ID_VP9, AV_PIX_FMT_YUV420P, AVERROR_EAGAIN, FF_THREAD_SLICE } from "node-av/constants"
import { Codec, CodecContext, Frame, Packet } from "node-av/lib"
import { monitorEventLoopDelay } from "node:perf_hooks"
import { setTimeout as sleep } from "node:timers/promises"
import { dePacketizeRtpPackets, type RtpPacket } from "werift"
import {
  type CodecExecution,
  type EncodedVideoFrame,
  OpusCodec,
  VideoCodec,
  type VideoCodecName,
  depacketize,
  float32ToInt16,
  makeAudioFramer,
  makeFrameAssembler,
  makePacketizer,
  makeRtpClock
} from "../src/media/index.ts"
import { header, row, summarise, timeAsync, timeSync } from "./mediaStats.ts"

const W = 1280
const H = 720
const FRAMES = 60
const scope = Effect.runSync(Scope.make())
const run = <A, E>(effect: Effect.Effect<A, E, Scope.Scope>): Promise<A> => Effect.runPromise(Scope.provide(effect, scope))
const runSyncScoped = <A, E>(effect: Effect.Effect<A, E, Scope.Scope>): A => Effect.runSync(Scope.provide(effect, scope))
const services = await Effect.runPromise(Layer.build(Layer.mergeAll(OpusCodec.layer, VideoCodec.layerWith("sync"))).pipe(Scope.provide(scope)))
const withCodecs = <A, E>(effect: Effect.Effect<A, E, OpusCodec | VideoCodec | Scope.Scope>) => Effect.provideContext(effect, services)
const threadpoolCodec = await Effect.runPromise(Layer.build(VideoCodec.layerWith("threadpool")).pipe(Scope.provide(scope)))

console.log(`media benchmark — Node ${process.version}, ${W}x${H}, ${FRAMES} video frames per codec\n`)
console.log(header)

// Opus ------------------------------------------------------------------------------------------------
{
  const tone = makeSineTone({ frequency: 440, sampleRate: 48_000 })
  const frames = Array.from({ length: 1200 }, () => tone.next(960))
  const bare = new opus.OpusEncoder(48_000, 1)
  const pcm = frames.map((f) => {
    const buffer = Buffer.alloc(1920)
    float32ToInt16(f, new Int16Array(buffer.buffer, buffer.byteOffset, 960))
    return buffer
  })
  const baseline = summarise(timeSync(1000, (i) => bare.encode(pcm[i % pcm.length]!)))
  const encoder = runSyncScoped(withCodecs(OpusCodec.use((c) => c.makeEncoder({ channels: 1 }))))
  const framer = makeAudioFramer(1)
  const packetizer = makePacketizer("opus")
  const clock = makeRtpClock(48_000)
  const ours = summarise(timeSync(1000, (i) => {
    Effect.runSync(Effect.gen(function*() {
      for (const frame of yield* framer.push(audio(frames[i % frames.length]!, 48_000))) {
        packetizer.packetize(yield* encoder.encode(frame), clock.timestampAt(i * 20_000), false)
      }
    }))
  }))
  console.log(row("opus: bare libopus encode", baseline))
  console.log(row("opus: framer + encode + packetize", ours, baseline))
}

// Video send and receive -------------------------------------------------------------------------------
const sources: ReadonlyArray<VideoFrame> = Array.from({ length: FRAMES }, (_, i) => testPatternFrame(W, H, i))

const codecIds = { VP9: AV_CODEC_ID_VP9, H264: AV_CODEC_ID_H264, VP8: AV_CODEC_ID_VP8 } as const

const bareEncoder = (name: VideoCodecName) => {
  const codec = Codec.findEncoder(codecIds[name])!
  const ctx = new CodecContext()
  ctx.allocContext3(codec)
  ctx.width = W
  ctx.height = H
  ctx.pixelFormat = AV_PIX_FMT_YUV420P
  ctx.timeBase = { num: 1, den: 30 } as CodecContext["timeBase"]
  ctx.bitRate = 2_500_000n
  ctx.gopSize = 100_000
  ctx.maxBFrames = 0
  ctx.threadCount = 2
  const options = name === "H264"
    ? [["preset", "ultrafast"], ["tune", "zerolatency"], ["profile", "baseline"]]
    : [["deadline", "realtime"], ["cpu-used", "8"], ["lag-in-frames", "0"], ["row-mt", "1"], ["tile-columns", "2"]]
  for (const [k, v] of options) ctx.setOption(k!, v!)
  ctx.open2Sync(codec)
  const frame = new Frame()
  frame.alloc()
  frame.width = W
  frame.height = H
  frame.format = AV_PIX_FMT_YUV420P
  frame.getBuffer(0)
  const packet = new Packet()
  packet.alloc()
  return (source: VideoFrame, pts: number): number => {
    frame.makeWritable()
    const planes = frame.data!
    for (let p = 0; p < 3; p++) planes[p]!.set(source.planes[p]!)
    frame.pts = BigInt(pts)
    ctx.sendFrameSync(frame)
    let bytes = 0
    while (ctx.receivePacketSync(packet) !== AVERROR_EAGAIN) {
      bytes += packet.size
      packet.unref()
    }
    return bytes
  }
}

const bareDecoder = (name: VideoCodecName) => {
  const codec = Codec.findDecoder(codecIds[name])!
  const ctx = new CodecContext()
  ctx.allocContext3(codec)
  ctx.threadCount = 2
  ctx.threadType = FF_THREAD_SLICE
  ctx.open2Sync(codec)
  const frame = new Frame()
  frame.alloc()
  const packet = new Packet()
  packet.alloc()
  return (data: Uint8Array) => {
    packet.data = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    ctx.sendPacketSync(packet)
    packet.unref()
    while (ctx.receiveFrameSync(frame) >= 0) frame.unref()
  }
}

const packetRates: Array<string> = []
for (const name of ["VP9", "H264"] as const) {
  const encodeBare = bareEncoder(name)
  const baseline = summarise(timeSync(FRAMES, (i) => encodeBare(sources[i % FRAMES]!, i), 5))
  const encoded: Record<CodecExecution, Array<EncodedVideoFrame>> = { sync: [], threadpool: [] }
  const packets: Array<ReadonlyArray<RtpPacket>> = []
  const send: Record<CodecExecution, Array<number>> = { sync: [], threadpool: [] }
  for (const execution of ["sync", "threadpool"] as const) {
    const codec = execution === "sync" ? services : threadpoolCodec
    const encoder = await run(Effect.provideContext(VideoCodec.use((c) => c.makeEncoder({ codec: name, width: W, height: H, bitrate: 2_500_000 })), codec))
    const packetizer = makePacketizer(name)
    const clock = makeRtpClock(90_000)
    send[execution] = await timeAsync(FRAMES, async (i) => {
      for (const frame of await Effect.runPromise(encoder.encode(sources[i % FRAMES]!))) {
        const rtp = packetizer.packetize(frame.data, clock.timestampAt(frame.timestampUs), frame.isKeyframe)
        if (execution === "sync") packets.push(rtp)
        encoded[execution].push(frame)
      }
    }, 0)
  }
  console.log(row(`${name}: bare node-av encode`, baseline))
  console.log(row(`${name}: encode + packetize (sync)`, summarise(send.sync.slice(5)), baseline))
  console.log(row(`${name}: encode + packetize (thread pool)`, summarise(send.threadpool.slice(5)), baseline))

  const decodeBare = bareDecoder(name)
  const bareDecode = summarise(timeSync(FRAMES, (i) => decodeBare(encoded.sync[i]!.data), 0).slice(5))
  for (const execution of ["sync", "threadpool"] as const) {
    const codec = execution === "sync" ? services : threadpoolCodec
    const decoder = await run(Effect.provideContext(VideoCodec.use((c) => c.makeDecoder(name)), codec))
    const assembler = makeFrameAssembler()
    const receive = await timeAsync(FRAMES, async (i) => {
      for (const packet of packets[i]!) {
        for (const frame of assembler.push(packet)) {
          const input = await Effect.runPromise(depacketize(name, frame.packets))
          await Effect.runPromise(decoder.decode({ ...input, timestampUs: i }))
        }
      }
    }, 0)
    if (execution === "sync") console.log(row(`${name}: bare node-av decode`, bareDecode))
    console.log(row(`${name}: assemble + depacketize + decode (${execution === "sync" ? "sync" : "pool"})`, summarise(receive.slice(5)), bareDecode))
  }

  // Packets per second of CPU on the pure RTP path, 20 passes over the stream's packets.
  const all = packets.flat()
  const cpu = (work: () => void) => {
    const start = process.cpuUsage()
    for (let pass = 0; pass < 20; pass++) work()
    const used = process.cpuUsage(start)
    return (20 * all.length) / ((used.user + used.system) / 1e6)
  }
  const frames = encoded.sync
  const depacketizerName = name === "H264" ? "MPEG4/ISO/AVC" : name
  const bareRate = cpu(() => {
    const packetizer = makePacketizer(name)
    for (const frame of frames) dePacketizeRtpPackets(depacketizerName, [...packetizer.packetize(frame.data, 0, frame.isKeyframe)])
  })
  const ourRate = cpu(() => {
    const packetizer = makePacketizer(name)
    const assembler = makeFrameAssembler()
    frames.forEach((frame, i) => {
      for (const packet of packetizer.packetize(frame.data, i * 3000, frame.isKeyframe)) {
        for (const assembled of assembler.push(packet)) Effect.runSync(depacketize(name, assembled.packets))
      }
    })
  })
  packetRates.push(`${name}: ${all.length} packets/stream; werift packetize+depacketize ${(bareRate / 1000).toFixed(0)}k pkt/s per core, ours (+ assembly) ${(ourRate / 1000).toFixed(0)}k pkt/s per core`)
}
console.log(`\n${packetRates.join("\n")}`)

// Event-loop delay under 720p30 --------------------------------------------------------------------------
/**
 * Drives `tick` from a 30 fps interval timer for 4 s (a tick still running makes the next one skip, as a
 * real sender would drop a frame) while the histogram samples how late the event loop turns.
 */
const loopDelay = async (label: string, tick: (i: number) => Promise<unknown>) => {
  const histogram = monitorEventLoopDelay({ resolution: 1 })
  let inFlight: Promise<unknown> = Promise.resolve()
  let busy = false
  let ticks = 0
  let skipped = 0
  histogram.enable()
  const timer = setInterval(() => {
    if (busy) {
      skipped++
      return
    }
    busy = true
    inFlight = tick(ticks++).finally(() => {
      busy = false
    })
  }, 1000 / 30)
  await sleep(4000)
  clearInterval(timer)
  await inFlight
  histogram.disable()
  const q = (p: number) => (histogram.percentile(p) / 1e6).toFixed(2)
  console.log(`${label.padEnd(46)} p50 ${q(50)} ms  p99 ${q(99)} ms  max ${(histogram.max / 1e6).toFixed(2)} ms  (${ticks} frames, ${skipped} skipped)`)
}
console.log("\nevent-loop delay while one 720p30 VP9 stream is encoded and decoded (4 s each)")
await loopDelay("idle 30 fps timer (baseline)", () => Promise.resolve())
for (const execution of ["sync", "threadpool"] as const) {
  const codec = execution === "sync" ? services : threadpoolCodec
  const [encoder, decoder] = await run(Effect.provideContext(VideoCodec.use((c) => Effect.all([c.makeEncoder({ codec: "VP9", width: W, height: H }), c.makeDecoder("VP9")])), codec))
  await loopDelay(`VP9 720p30 encode + decode (${execution})`, (i) =>
    Effect.runPromise(Effect.flatMap(encoder.encode(sources[i % FRAMES]!), (frames) => Effect.forEach(frames, (f) => decoder.decode(f)))))
}

await Effect.runPromise(Scope.close(scope, Exit.void))
