/**
 * The far end of the two-process raw werift baseline: answers offers that arrive as JSON lines on stdin
 * and writes its answer and candidates as JSON lines to stdout (a pipe stands in for a signaling relay).
 *
 *   node --conditions=source meshRawChild.ts <stunUrl>
 */
import { createInterface } from "node:readline"
import { Effect } from "effect"
import type { RTCPeerConnection } from "werift"
import { decodeConfig } from "../src/config/WebRtcTransportConfig.ts"
import { rawPeer } from "./meshRawPeer.ts"

const stunUrl = process.argv[2] ?? ""
const config = Effect.runSync(decodeConfig({ signalingUrl: "ws://127.0.0.1:1", peerId: "child", stunServers: [stunUrl], candidateHosts: "loopback" }))
const send = (message: unknown) => process.stdout.write(`${JSON.stringify(message)}\n`)
let pc: RTCPeerConnection | undefined

createInterface({ input: process.stdin }).on("line", async (line) => {
  const message = JSON.parse(line) as { type: "offer"; sdp: string } | { type: "candidate"; candidate: { candidate: string; sdpMid?: string; sdpMLineIndex?: number } } | { type: "close" }
  if (message.type === "offer") {
    await pc?.close()
    const current = rawPeer(config)
    pc = current
    current.onIceCandidate.subscribe((candidate) => candidate !== undefined && send({ type: "candidate", candidate: candidate.toJSON() }))
    await current.setRemoteDescription({ type: "offer", sdp: message.sdp })
    await current.setLocalDescription(await current.createAnswer())
    send({ type: "answer", sdp: current.localDescription!.sdp })
  } else if (message.type === "candidate") {
    // A late candidate of the previous round's connection does not belong to this one: drop it.
    await pc?.addIceCandidate(message.candidate).catch(() => undefined)
  } else {
    await pc?.close()
    process.exit(0)
  }
})
