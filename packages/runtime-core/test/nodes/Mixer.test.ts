import { describe, expect, it } from "@effect/vitest"
import { audio, isAudio, Mixer, type TransportData } from "@remotemedia/runtime-core"
import { concat, instantiate, runNode, samplesOf, sine, toneAmplitude, wrap } from "../support/signals.ts"

const RATE = 48_000
const FRAME = 960

/** `seconds` of a tone from `peer`, in 20 ms frames, timestamps starting at `startUs`. */
const peerFrames = (peer: string, frequency: number, seconds: number, startUs = 0, amplitude = 0.25): Array<TransportData> => {
  const x = sine(frequency, RATE, seconds, amplitude)
  const out: Array<TransportData> = []
  for (let i = 0; i < x.length; i += FRAME) out.push(wrap(audio(x.slice(i, i + FRAME), RATE, 1, startUs + (i / RATE) * 1e6), { peer_id: peer }))
  return out
}

const interleave = (...streams: ReadonlyArray<ReadonlyArray<TransportData>>) => {
  const out: Array<TransportData> = []
  for (let i = 0; i < Math.max(...streams.map((s) => s.length)); i++) for (const s of streams) if (s[i]) out.push(s[i]!)
  return out
}

describe("Mixer", () => {
  it("mix: the output is the sample-exact sum of aligned peers", () => {
    const a = peerFrames("alice", 440, 0.5)
    const b = peerFrames("bob", 1000, 0.5, 3_000) // 3 ms later: same rounds
    const out = runNode(instantiate(Mixer, { mode: "mix" }), interleave(a, b))
    // alice's first frame is mixed before bob is known; bob's first frame joins late and is dropped
    expect(out.length).toBe(a.length)
    const mixed = concat(samplesOf(out.slice(1)))
    const fromBob = concat(samplesOf(b.slice(1)))
    const expected = concat(samplesOf(a.slice(1))).map((s, i) => s + fromBob[i]!)
    expect(mixed.length).toBe(expected.length)
    let maxDiff = 0
    for (let i = 0; i < mixed.length; i++) maxDiff = Math.max(maxDiff, Math.abs(mixed[i]! - expected[i]!))
    expect(maxDiff).toBeLessThan(1e-6)
    expect(out.map((o) => (isAudio(o.data) ? o.data.timestampUs : -1))).toEqual(a.map((_, i) => i * 20_000))
  })

  it("mix: aligns by timestamp, not arrival order", () => {
    const a = peerFrames("alice", 440, 1)
    const b = peerFrames("bob", 1000, 1)
    // after the first frames, bob's arrive in bursts of three, behind alice's
    const arrival = [a[0]!, b[0]!]
    for (let i = 1; i < a.length; i += 3) arrival.push(...a.slice(i, i + 3), ...b.slice(i, i + 3))
    const out = runNode(instantiate(Mixer, { mode: "mix", windowMs: 100 }), arrival)
    expect(out.length).toBe(a.length)
    const mixed = concat(samplesOf(out.slice(1)))
    expect(toneAmplitude(mixed, 440, RATE)).toBeCloseTo(0.25, 2)
    expect(toneAmplitude(mixed, 1000, RATE)).toBeCloseTo(0.25, 2)
  })

  it("mix-minus: each peer gets everyone else, addressed with `to`", () => {
    const out = runNode(
      instantiate(Mixer, { mode: "mix-minus" }),
      interleave(peerFrames("alice", 440, 0.5), peerFrames("bob", 1000, 0.5), peerFrames("carol", 2000, 0.5))
    )
    const forPeer = (peer: string) => concat(samplesOf(out.filter((o) => o.metadata.to === peer)))
    const level = (x: Float32Array, f: number) => toneAmplitude(x, f, RATE)
    expect(level(forPeer("alice"), 440)).toBeLessThan(1e-3)
    expect(level(forPeer("alice"), 1000)).toBeCloseTo(0.25, 2)
    expect(level(forPeer("alice"), 2000)).toBeCloseTo(0.25, 2)
    expect(level(forPeer("bob"), 1000)).toBeLessThan(1e-3)
    expect(level(forPeer("carol"), 2000)).toBeLessThan(1e-3)
    expect(level(forPeer("carol"), 440)).toBeCloseTo(0.25, 2)
  })

  it("a peer that goes silent does not stall the mix by more than the window", () => {
    const a = peerFrames("alice", 440, 1)
    const b = peerFrames("bob", 1000, 0.2)
    const mixer = instantiate(Mixer, { mode: "mix", windowMs: 40 })
    const out: Array<TransportData> = []
    for (const f of interleave(a, b)) out.push(...(mixer.process(f, "input") as ReadonlyArray<TransportData>))
    // alice sent 50 frames; all but those within the 40 ms window are out already
    expect(out.length).toBeGreaterThanOrEqual(a.length - 2)
  })

  it("queue alignment: live frames with jittery dates are mixed oldest-first, every round has every peer", () => {
    // Dates jitter by up to ±15 ms around the 20 ms grid: timestamp slots would often miss each other.
    const jitter = (frames: Array<TransportData>, seed: number) =>
      frames.map((f, i) => (isAudio(f.data) ? wrap({ ...f.data, timestampUs: f.data.timestampUs! + (((i * 7919 + seed) % 31) - 15) * 1000 }, f.metadata) : f))
    const a = jitter(peerFrames("alice", 440, 1), 3)
    const b = jitter(peerFrames("bob", 1000, 1), 17)
    const out = runNode(instantiate(Mixer, { mode: "mix-minus", alignment: "queue", windowMs: 200 }), interleave(a, b))
    const forPeer = (peer: string) => concat(samplesOf(out.filter((o) => o.metadata.to === peer)))
    // Every frame is mixed once: one output addressed to its sender per frame. alice's first frame is mixed
    // before bob is known, bob's last one at end of input, each alone: the rest pair up.
    expect(out.length).toBe(a.length + b.length)
    expect(toneAmplitude(forPeer("bob").subarray(0, -FRAME), 440, RATE)).toBeCloseTo(0.25, 2)
    expect(toneAmplitude(forPeer("bob"), 1000, RATE)).toBeLessThan(1e-3)
    expect(toneAmplitude(forPeer("alice").subarray(FRAME), 1000, RATE)).toBeCloseTo(0.25, 2)
    expect(toneAmplitude(forPeer("alice"), 440, RATE)).toBeLessThan(1e-3)
  })

  it("tells graph fan-in sources apart by upstream node", () => {
    const frame = (v: number) => wrap(audio(new Float32Array(FRAME).fill(v), RATE, 1, 0))
    const out = runNode(instantiate(Mixer, {}, 2), [{ item: frame(0.1), from: "x" }, { item: frame(0.2), from: "y" }])
    expect(out.length).toBe(1)
    expect(samplesOf(out)[0]![0]).toBeCloseTo(0.3, 6)
  })

  it("rejects a source at another sample rate, naming it and the fix", () => {
    const mixer = instantiate(Mixer, {})
    mixer.process(wrap(audio(new Float32Array(FRAME), RATE), { peer_id: "alice" }), "input")
    expect(() => mixer.process(wrap(audio(new Float32Array(320), 16_000), { peer_id: "bob" }), "input")).toThrow(
      /source "bob" sends 16000 Hz.*Resample/
    )
  })
})
