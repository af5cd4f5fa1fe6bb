import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import * as fc from "fast-check"
import { type CliOptions, parseCliOptions } from "../src/options/CliOptions.ts"

const base = ["--signaling", "ws://127.0.0.1:8080", "--id", "alice", "--stun", "stun:127.0.0.1:3478"]

const ok = (argv: ReadonlyArray<string>): CliOptions => {
  const parsed = parseCliOptions(argv)
  if (Result.isFailure(parsed)) throw new Error(`expected success, got: ${parsed.failure.message}`)
  return parsed.success
}

const usageMessage = (argv: ReadonlyArray<string>): string => {
  const parsed = parseCliOptions(argv)
  if (Result.isSuccess(parsed)) throw new Error(`expected a usage error for ${argv.join(" ")}`)
  return parsed.failure.message
}

describe("parseCliOptions", () => {
  it("reads the connection flags, repeatable ones as lists", () => {
    const options = ok([
      ...base, "--stun", "stun:10.0.0.1", "--connect", "bob", "--connect", "carol", "--max-peers", "3", "--token", "t.k", "--connect-timeout", "2.5"
    ])
    expect(options.signalingUrl).toBe("ws://127.0.0.1:8080")
    expect(options.peerId).toBe("alice")
    expect(options.stunUrls).toEqual(["stun:127.0.0.1:3478", "stun:10.0.0.1"])
    expect(options.connect).toEqual(["bob", "carol"])
    expect(options.maxPeers).toBe(3)
    expect(options.connectTimeoutS).toBe(2.5)
    expect(options.token).toBe("t.k")
    expect(options.candidateHosts).toBe("any")
  })

  it("defaults: answer mode, VP9, no media, no expectations, interactive only on a terminal", () => {
    const options = ok(base)
    expect(options.connect).toEqual([])
    expect(options.codec).toBe("VP9")
    expect(options.media).toBeUndefined()
    expect([options.expectAudio, options.expectVideo, options.expectData, options.echo, options.json]).toEqual([false, false, false, false, false])
    expect(options.interactive).toBe(false)
    expect(Result.getOrThrow(parseCliOptions(base, true)).interactive).toBe(true)
  })

  it("combines --tone and --pattern; --send stands alone", () => {
    expect(ok([...base, "--tone", "440", "--pattern", "320x240@15"]).media).toEqual({
      _tag: "Generated",
      toneHz: 440,
      pattern: { width: 320, height: 240, fps: 15 }
    })
    expect(ok([...base, "--send", "clip.mkv", "--codec", "h264"]).media).toEqual({ _tag: "File", path: "clip.mkv" })
    expect(usageMessage([...base, "--send", "clip.mkv", "--tone", "440"])).toBe("--send cannot be combined with --tone or --pattern")
  })

  it.each([
    [["--signaling", "ws://h:1", "--stun", "stun:h"], "--id is required"],
    [["--id", "a", "--stun", "stun:h"], "--signaling is required"],
    [["--signaling", "ws://h:1", "--id", "a"], "--stun is required (at least one; remotemedia-peer never falls back to a public STUN server)"],
    [[...base, "--tone", "5"], "--tone must be a number from 20 to 20000, got \"5\""],
    [[...base, "--tone", "abc"], "--tone must be a number from 20 to 20000, got \"abc\""],
    [[...base, "--max-peers", "2.5"], "--max-peers must be an integer from 1 to 64, got \"2.5\""],
    [[...base, "--duration", "0"], "--duration must be a number from 0.1 to 86400, got \"0\""],
    [[...base, "--codec", "av1"], "--codec must be vp9, h264 or vp8, got \"av1\""],
    [[...base, "--ice-hosts", "lan"], "--ice-hosts must be any or loopback, got \"lan\""],
    [[...base, "--pattern", "640x360"], "--pattern must look like 640x360@30, got \"640x360\""],
    [[...base, "--pattern", "641x360@30"], "--pattern size must be even, from 16x16 to 3840x2160, got 641x360"],
    [[...base, "--pattern", "640x360@0"], "--pattern frame rate must be 1 to 120, got 0"],
    [[...base, "stray"], "unexpected argument \"stray\""]
  ])("rejects %j with one line naming the flag", (argv, message) => {
    expect(usageMessage(argv)).toBe(message)
  })

  it("names unknown flags and flags missing their value", () => {
    expect(usageMessage([...base, "--bogus"])).toContain("--bogus")
    expect(usageMessage([...base, "--tone"])).toContain("--tone")
  })

  it("--help needs no other flag", () => {
    expect(ok(["--help"]).help).toBe(true)
  })

  it("property: every valid pattern round-trips; every usage error is a single line", () => {
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 1920 }), fc.integer({ min: 8, max: 1080 }), fc.integer({ min: 1, max: 120 }), (w, h, fps) => {
        const spec = `${w * 2}x${h * 2}@${fps}`
        const media = ok([...base, "--pattern", spec]).media
        expect(media).toEqual({ _tag: "Generated", toneHz: undefined, pattern: { width: w * 2, height: h * 2, fps } })
      })
    )
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 6 }), (argv) => {
        const message = Result.match(parseCliOptions(argv), { onSuccess: () => "", onFailure: (error) => error.message })
        expect(message).not.toContain("\n")
      })
    )
  })
})
