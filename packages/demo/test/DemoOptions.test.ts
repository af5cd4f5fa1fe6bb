import { describe, expect, it } from "vitest"
import { Result } from "effect"
import * as fc from "fast-check"
import { parseDemoOptions, peerNames } from "../src/DemoOptions.ts"

describe("parseDemoOptions", () => {
  it("fills the defaults: 15 s, 3 peers, VP9 480p", () => {
    expect(parseDemoOptions([])).toEqual(Result.succeed({
      durationSeconds: 15, peers: 3, codec: "VP9", resolution: "480p", fps: 10, browser: false, json: false, report: undefined
    }))
  })

  it("reads every flag", () => {
    const parsed = parseDemoOptions(["--duration", "4", "--peers", "10", "--codec", "H264", "--resolution", "720p", "--fps", "30", "--browser", "--json", "--report", "r.html"])
    expect(parsed).toEqual(Result.succeed({
      durationSeconds: 4, peers: 10, codec: "H264", resolution: "720p", fps: 30, browser: true, json: true, report: "r.html"
    }))
  })

  it("answers --help", () => {
    expect(parseDemoOptions(["--help"])).toEqual(Result.succeed("help"))
  })

  it.each([
    [["--peers", "11"], "--peers must be an integer from 2 to 10, got \"11\""],
    [["--duration", "1.5"], "--duration must be an integer from 3 to 600"],
    [["--codec", "AV1"], "--codec must be one of VP9, VP8, H264, got \"AV1\""],
    [["--resolution", "4k"], "--resolution must be one of 720p, 480p"],
    [["--colour"], "Unknown option '--colour'"]
  ])("rejects %j naming the flag", (argv, message) => {
    const parsed = parseDemoOptions(argv)
    expect(Result.isFailure(parsed) && parsed.failure.message).toContain(message)
    expect(Result.isFailure(parsed) && parsed.failure.message).toContain("usage: ./run demo")
  })

  it("accepts exactly the peer counts 2..10, each naming distinct peers", () => {
    fc.assert(fc.property(fc.integer({ min: -5, max: 20 }), (peers) => {
      const parsed = parseDemoOptions(["--peers", String(peers)])
      const valid = peers >= 2 && peers <= 10
      expect(Result.isSuccess(parsed)).toBe(valid)
      expect(new Set(peerNames(peers)).size).toBe(Math.min(Math.max(peers, 0), 10))
    }))
  })
})
