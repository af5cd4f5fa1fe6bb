import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { runScript } from "./support/runScript.ts"

const examples = join(import.meta.dirname, "..", "..", "..", "examples")

const numbers = (text: string, pattern: RegExp): ReadonlyArray<number> => {
  const match = pattern.exec(text)
  if (match === null) throw new Error(`no ${pattern} in:\n${text}`)
  return match.slice(1).map(Number)
}

describe.each(["pipeline-processing.ts", "pipeline-processing.promise.ts"])("examples/%s", (file) => {
  it("runs to exit 0: the voice comes out 6 dB louder at its 180 Hz pitch, the hiss gated down", async () => {
    const { code, stdout, stderr } = await runScript(join(examples, file), [], 30_000)
    expect(stderr).toBe("")
    expect(code).toBe(0)
    const [voiceIn = 0, voiceOut = 0, pitch = 0] = numbers(stdout, /voice: (-?[\d.]+) dBFS -> (-?[\d.]+) dBFS, pitch (\d+) Hz/)
    expect(voiceOut - voiceIn).toBeCloseTo(6, 0)
    expect(Math.abs(pitch - 180)).toBeLessThanOrEqual(5)
    const [hissIn = 0, hissOut = 0] = numbers(stdout, /hiss: +(-?[\d.]+) dBFS -> (-?[\d.]+) dBFS/)
    expect(hissIn - hissOut).toBeGreaterThan(20)
  }, 40_000)
})

/** `name (F Hz) hears G Hz` lines as [F, G] pairs. */
const pitches = (text: string) => [...text.matchAll(/\((\d+) Hz\) hears (\d+) Hz/g)].map((m) => [Number(m[1]), Number(m[2])])

describe.each(["multi-peer-conference.ts", "multi-peer-conference.promise.ts"])("examples/%s", (file) => {
  it("runs to exit 0: with mix-minus, bob hears carol's pitch and carol hears bob's, never their own", async () => {
    const { code, stdout, stderr } = await runScript(join(examples, file), [], 60_000)
    expect(stderr).toBe("")
    expect(code).toBe(0)
    const [[bob = 0, bobHears = 0] = [], [carol = 0, carolHears = 0] = []] = pitches(stdout)
    expect(Math.abs(bobHears - carol)).toBeLessThanOrEqual(5)
    expect(Math.abs(carolHears - bob)).toBeLessThanOrEqual(5)
    expect(stdout).toMatch(/session: [1-9]\d* frames mixed in, [1-9]\d* sent out/)
  }, 70_000)
})

describe.each(["peer-to-peer-audio.ts", "peer-to-peer-audio.promise.ts"])("examples/%s", (file) => {
  it("runs to exit 0: bob decodes alice's 1.5 s of voice at its 180 Hz pitch", async () => {
    const { code, stdout, stderr } = await runScript(join(examples, file), [], 60_000)
    expect(stderr).toBe("")
    expect(code).toBe(0)
    expect(stdout).toContain("connected to bob")
    const [frames = 0, pitch = 0] = numbers(stdout, /bob received (\d+) frames of 20 ms, pitch (\d+) Hz/)
    expect(frames).toBe(75)
    expect(Math.abs(pitch - 180)).toBeLessThanOrEqual(5)
  }, 70_000)
})
