import { readFileSync } from "node:fs"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { buildH264StapA, RtpHeader, RtpPacket, splitH264NalUnits } from "werift"
import { depacketize, makeFrameAssembler, VideoCodec } from "../../src/media/index.ts"

/**
 * Five access units as Chromium 156's OpenH264 sent them to a transport (SPS, PPS, IDR, then four P
 * frames; 640x360, full range), captured from the browser interop test.
 */
const accessUnits = (() => {
  const nals = splitH264NalUnits(readFileSync(join(import.meta.dirname, "fixtures", "chromium-openh264-640x360.h264")), 4, "annexb")
  const [sps, pps, idr, ...deltas] = nals
  return [[sps!, pps!, idr!], ...deltas.map((nal) => [nal])]
})()

const nalType = (nal: Buffer) => nal[0]! & 0x1f

const range = (plane: Uint8Array): [number, number] => {
  let [low, high] = [255, 0]
  for (const sample of plane) [low, high] = [Math.min(low, sample), Math.max(high, sample)]
  return [low, high]
}

/** FU-A fragments of `nal` (RFC 6184 §5.8) with `size`-byte chunks, as Chromium splits an IDR. */
const fuA = (nal: Buffer, size: number): Array<Buffer> => {
  const body = nal.subarray(1)
  const fragments: Array<Buffer> = []
  for (let offset = 0; offset < body.length; offset += size) {
    const start = offset === 0 ? 0x80 : 0
    const end = offset + size >= body.length ? 0x40 : 0
    fragments.push(Buffer.concat([Buffer.from([(nal[0]! & 0xe0) | 28, start | end | nalType(nal)]), body.subarray(offset, offset + size)]))
  }
  return fragments
}

/**
 * The RTP stream Chromium sends without RTX: a burst of padding-only packets (bandwidth probes on the
 * media SSRC, timestamp of the previous frame), the keyframe as STAP-A(SPS, PPS) + FU-A(IDR), deltas as
 * single NAL units; marker on each frame's last packet.
 */
const chromiumStream = (): Array<RtpPacket> => {
  let seq = 65_530
  const packet = (timestamp: number, payload: Buffer, marker: boolean, padding = false) =>
    new RtpPacket(new RtpHeader({ sequenceNumber: seq++ & 0xffff, timestamp, marker, payloadType: 104, padding, paddingSize: padding ? 255 : 0 }), payload)
  return accessUnits.flatMap((nals, frame) => {
    const timestamp = 90_000 + frame * 3_000
    if (frame > 0) return nals.map((nal, i) => packet(timestamp, nal, i === nals.length - 1))
    const [sps, pps, idr] = nals as [Buffer, Buffer, Buffer]
    const fragments = fuA(idr, 1_100)
    return [
      ...Array.from({ length: 4 }, () => packet(timestamp - 3_000, Buffer.alloc(0), false, true)),
      packet(timestamp, buildH264StapA([sps, pps]), false),
      ...fragments.map((fragment, i) => packet(timestamp, fragment, i === fragments.length - 1))
    ]
  })
}

describe("Chromium's H.264 on the receive path", () => {
  it.effect("assembles and depacketizes its keyframe past padding probes: SPS, PPS and the whole IDR in Annex-B", () =>
    Effect.gen(function*() {
      const assembler = makeFrameAssembler()
      const frames = chromiumStream().flatMap((packet) => assembler.push(packet))
      assert.deepStrictEqual(frames.map((f) => f.afterLoss), [false, false, false, false, false])
      // The padding wraps the sequence number and belongs to the first frame's range.
      assert.strictEqual(frames[0]!.packets.length, 4 + 1 + 3)
      const keyframe = yield* depacketize("H264", frames[0]!.packets)
      assert.isTrue(keyframe.isKeyframe)
      const startCode = Buffer.from([0, 0, 0, 1])
      assert.deepStrictEqual(Buffer.from(keyframe.data), Buffer.concat(accessUnits[0]!.flatMap((nal) => [startCode, nal])))
      const delta = yield* depacketize("H264", frames[1]!.packets)
      assert.isFalse(delta.isKeyframe)
      assert.deepStrictEqual(Buffer.from(delta.data), Buffer.concat([startCode, accessUnits[1]![0]!]))
    }))

  it.live("decodes its full-range pictures to limited-range I420 at 640x360", () =>
    Effect.gen(function*() {
      const decoder = yield* (yield* VideoCodec).makeDecoder("H264")
      const assembler = makeFrameAssembler()
      const pictures = []
      for (const frame of chromiumStream().flatMap((packet) => assembler.push(packet))) {
        const encoded = yield* depacketize("H264", frame.packets)
        pictures.push(...(yield* decoder.decode({ ...encoded, timestampUs: frame.timestamp / 0.09 })))
      }
      assert.deepStrictEqual(pictures.map((p) => `${p.width}x${p.height}`), Array(5).fill("640x360"))
      for (const picture of pictures) {
        const [luma, u, v] = picture.planes as [Uint8Array, Uint8Array, Uint8Array]
        assert.deepStrictEqual([luma.length, u.length, v.length], [640 * 360, 320 * 180, 320 * 180])
        // The page draws white text and a white box: full-range 255 lands on limited-range white, 235.
        const [lowest, highest] = range(luma)
        assert.isAtLeast(lowest, 16)
        assert.strictEqual(highest, 235)
        for (const chroma of [u, v]) {
          const [low, high] = range(chroma)
          assert.isTrue(low >= 16 && high <= 240, `chroma ${low}..${high}`)
        }
      }
    }).pipe(Effect.provide(VideoCodec.layer)))
})
