/**
 * The far end of the two-process raw werift baseline: answers offers arriving as JSON lines on stdin and
 * writes its answer and candidates as JSON lines to stdout (a pipe stands in for a signaling relay).
 *
 *   node --conditions=source rawAnswerer.ts <stunUrl>
 */
import { createInterface } from "node:readline"
import type { RTCIceCandidateInit, RTCPeerConnection } from "werift"
import { candidateInit, rawPeer } from "./rawPeer.ts"

/** A line on the pipe between the two processes, either way. */
export type RawPipeMessage =
  | { readonly type: "offer" | "answer"; readonly sdp: string }
  | { readonly type: "candidate"; readonly candidate: RTCIceCandidateInit }

const stunUrl = process.argv[2] ?? ""
const send = (message: RawPipeMessage) => process.stdout.write(`${JSON.stringify(message)}\n`)
let pc: RTCPeerConnection | undefined

createInterface({ input: process.stdin }).on("line", async (line) => {
  const message = JSON.parse(line) as RawPipeMessage
  if (message.type === "offer") {
    await pc?.close()
    const { pc: current } = rawPeer(stunUrl)
    pc = current
    current.onIceCandidate.subscribe((candidate) => candidate !== undefined && send({ type: "candidate", candidate: candidateInit(candidate) }))
    await current.setRemoteDescription({ type: "offer", sdp: message.sdp })
    await current.setLocalDescription(await current.createAnswer())
    send({ type: "answer", sdp: current.localDescription!.sdp })
  } else if (message.type === "candidate") {
    // A late candidate of the previous round's connection does not belong to this one: drop it.
    await pc?.addIceCandidate(message.candidate).catch(() => undefined)
  }
}).on("close", () => process.exit(0))
