import { describe, expect, it } from "vitest"
import { makeVoiceSignal } from "@remotemedia/signals"
import { makeMediaReceipts } from "../src/MediaReceipts.ts"

describe("MediaReceipts", () => {
  it("identifies each sender's voice from the last second of its 20 ms frames", () => {
    const receipts = makeMediaReceipts()
    const bob = makeVoiceSignal({ sampleRate: 48_000, fundamental: 190, harmonics: 4 })
    const carol = makeVoiceSignal({ sampleRate: 48_000, fundamental: 240, harmonics: 4 })
    // 1.5 s: the ring must keep the latest second in order across its wrap.
    for (let frame = 0; frame < 75; frame++) {
      receipts.audio("bob", bob.next(960), 1)
      receipts.audio("carol", carol.next(960), 1)
    }
    receipts.video("bob", 1280, 720)
    const summary = new Map(receipts.summary().map((media) => [media.from, media]))
    expect(summary.get("bob")).toMatchObject({ audioFrames: 75, videoFrames: 1, resolution: "1280x720" })
    expect(summary.get("bob")?.dominantHz).toBeCloseTo(190, -1)
    expect(summary.get("carol")?.dominantHz).toBeCloseTo(240, -1)
  })

  it("reads only the first channel of interleaved audio and waits for 250 ms of it", () => {
    const receipts = makeMediaReceipts()
    receipts.audio("alice", new Float32Array(1920), 2)
    expect(receipts.summary()).toEqual([{ from: "alice", audioFrames: 1, videoFrames: 0, resolution: undefined, dominantHz: undefined }])
    const voice = makeVoiceSignal({ sampleRate: 48_000, fundamental: 300, harmonics: 4 })
    for (let frame = 0; frame < 12; frame++) receipts.audio("alice", voice.next(960), 1)
    expect(receipts.summary()[0]?.dominantHz).toBeCloseTo(300, -1)
  })
})
