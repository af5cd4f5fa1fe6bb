import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { chromiumInstalled } from "@remotemedia/web-client"
import { runScript } from "./support/runScript.ts"

const main = join(import.meta.dirname, "..", "src", "main.ts")

const runDemo = (args: ReadonlyArray<string>, timeoutMs: number) => runScript(main, args, timeoutMs)

describe("./run demo (the process)", () => {
  it("forms the mesh, chats, prints a passing JSON summary, writes the report and exits 0 by itself", async () => {
    const dir = mkdtempSync(join(tmpdir(), "remotemedia-demo-"))
    try {
      const report = join(dir, "report.html")
      const { code, stdout, stderr, strays } = await runDemo(["--duration", "12", "--fps", "5", "--json", "--report", report], 80_000)
      expect(stderr).toBe("")
      expect(strays).toEqual([])
      const summary = JSON.parse(stdout)
      // The verdict line says which check failed, if one did.
      expect(summary.verdict.line).toMatch(/^VERDICT: PASS/)
      expect(code).toBe(0)
      expect(summary.peers.map((peer: { peerId: string }) => peer.peerId)).toEqual(["alice", "bob", "carol"])
      for (const peer of summary.peers) {
        expect(peer.links).toHaveLength(2)
        expect(peer.chat.received).toBeGreaterThan(0)
        expect(peer.chat.corrupted).toBe(0)
      }
      const html = readFileSync(report, "utf8")
      expect(html).toContain("VERDICT: PASS")
      // Every chart (bitrates, RTT, ...) draws a line per peer.
      const charts = html.match(/<svg[^>]*>.*?<\/svg>/g) ?? []
      expect(charts.length).toBeGreaterThanOrEqual(3)
      for (const chart of charts) expect([...chart.matchAll(/<polyline[^>]*><title>(\w+)<\/title>/g)].map((m) => m[1])).toEqual(["alice", "bob", "carol"])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 100_000)

  it.runIf(chromiumInstalled() || process.env.CI === "true")("with --browser, headless Chromium joins every peer through the page, then exits with the demo", async () => {
    const { code, stdout, stderr, strays } = await runDemo(["--duration", "12", "--fps", "5", "--json", "--browser"], 100_000)
    expect(stderr).toBe("")
    // Chromium went with the demo.
    expect(strays).toEqual([])
    const summary = JSON.parse(stdout)
    expect(summary.verdict.line).toMatch(/^VERDICT: PASS/)
    expect(code).toBe(0)
    for (const peer of summary.peers) expect(peer.row.links).toBe("3/3")
    expect(summary.browser.peers.map((peer: Record<string, string>) => [peer["peer"], peer["state"]]))
      .toEqual([["alice", "connected"], ["bob", "connected"], ["carol", "connected"]])
    expect(summary.browser.chatLines).toBeGreaterThan(0)
  }, 130_000)

  it("rejects a bad flag with exit code 2 and the usage", async () => {
    const { code, stderr } = await runDemo(["--peers", "12"], 20_000)
    expect(code).toBe(2)
    expect(stderr).toContain("--peers must be an integer from 2 to 10")
    expect(stderr).toContain("usage: ./run demo")
  }, 30_000)
})
