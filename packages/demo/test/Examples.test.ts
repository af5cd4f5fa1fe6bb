import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { runScript } from "./support/runScript.ts"

const examples = join(import.meta.dirname, "..", "..", "..", "examples")

const decibels = (text: string, pattern: RegExp): ReadonlyArray<number> => {
  const match = pattern.exec(text)
  if (match === null) throw new Error(`no ${pattern} in:\n${text}`)
  return match.slice(1).map(Number)
}

describe.each(["pipeline-processing.ts", "pipeline-processing.promise.ts"])("examples/%s", (file) => {
  it("runs to exit 0: the voice comes out 6 dB louder at its 180 Hz pitch, the hiss gated down", async () => {
    const { code, stdout, stderr } = await runScript(join(examples, file), [], 30_000)
    expect(stderr).toBe("")
    expect(code).toBe(0)
    const [voiceIn = 0, voiceOut = 0, pitch = 0] = decibels(stdout, /voice: (-?[\d.]+) dBFS -> (-?[\d.]+) dBFS, pitch (\d+) Hz/)
    expect(voiceOut - voiceIn).toBeCloseTo(6, 0)
    expect(Math.abs(pitch - 180)).toBeLessThanOrEqual(5)
    const [hissIn = 0, hissOut = 0] = decibels(stdout, /hiss: +(-?[\d.]+) dBFS -> (-?[\d.]+) dBFS/)
    expect(hissIn - hissOut).toBeGreaterThan(20)
  }, 40_000)
})
