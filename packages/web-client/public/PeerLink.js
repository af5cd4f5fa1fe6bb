// One browser RTCPeerConnection to one remote peer, negotiated through signaling-protocol.md: trickle
// ICE tagged with the offer's request_id, candidates buffered until the remote description is set, glare
// resolved by byte order of the peer ids, and the transport's data channel (negotiated, id 0, our framing).

import { encodeMessage, FrameKind, makeReassembler } from "./frames.js"

let offers = 0

/** Accepts werift's bare candidate strings as well as the browser's `candidate:` ones. */
const withPrefix = (candidate) => (candidate.startsWith("candidate:") ? candidate : `candidate:${candidate}`)

export class PeerLink {
  /**
   * `hooks`: `onState(state)`, `onMessage(message)`, `onTrack(track)`; `tracks` are sent to the peer.
   */
  constructor({ localId, remoteId, signaling, stunUrl, tracks, hooks }) {
    this.localId = localId
    this.remoteId = remoteId
    this.signaling = signaling
    this.stunUrl = stunUrl
    this.tracks = tracks
    this.hooks = hooks
    this.state = "new"
    this.requestId = undefined
    this.offering = false
    this.nextMessageId = 0
    this.early = new Map()
    this.pc = undefined
    this.dc = undefined
  }

  /** Offers to the remote peer (the newcomer calls everyone already there). */
  async offer() {
    this.requestId = `${this.localId}-${++offers}`
    this.offering = true
    const pc = this.#fresh(this.requestId)
    await pc.setLocalDescription(await pc.createOffer())
    await this.signaling.request("peer.offer", {
      to: this.remoteId,
      sdp: pc.localDescription.sdp,
      can_trickle_ice_candidates: true,
      request_id: this.requestId
    })
  }

  /** Handles a `peer.offer` from the remote peer; returns false when glare says to ignore it. */
  async answer(params) {
    if (this.offering && this.localId < this.remoteId) return false
    this.offering = false
    this.requestId = params.request_id
    // A fresh connection instead of a rollback (field notes, pitfall 14).
    const pc = this.#fresh(params.request_id)
    await pc.setRemoteDescription({ type: "offer", sdp: params.sdp })
    await this.#flush(params.request_id)
    await pc.setLocalDescription(await pc.createAnswer())
    await this.signaling.request("peer.answer", {
      to: this.remoteId,
      sdp: pc.localDescription.sdp,
      can_trickle_ice_candidates: true,
      request_id: params.request_id
    })
    return true
  }

  /** Handles the `peer.answer` to our offer. */
  async answered(params) {
    if (params.request_id !== this.requestId || this.pc === undefined) return
    this.offering = false
    await this.pc.setRemoteDescription({ type: "answer", sdp: params.sdp })
    await this.#flush(params.request_id)
  }

  /** Handles a trickled candidate; the end-of-candidates marker is left to the browser's own timing. */
  async candidate(params) {
    if (params.candidate === "") return
    const candidate = { candidate: withPrefix(params.candidate), sdpMid: params.sdp_mid, sdpMLineIndex: params.sdp_m_line_index }
    if (params.request_id === this.requestId && this.pc?.remoteDescription) {
      await this.pc.addIceCandidate(candidate).catch(() => undefined)
      return
    }
    const queue = this.early.get(params.request_id) ?? []
    queue.push(candidate)
    this.early.set(params.request_id, queue)
  }

  /** Sends `{ kind: "Binary" | "Text" | "Json", payload }` in our framing. */
  send(message) {
    if (this.dc?.readyState !== "open") return false
    const bytes =
      message.kind === "Binary"
        ? message.payload
        : new TextEncoder().encode(message.kind === "Text" ? message.payload : JSON.stringify(message.payload))
    for (const frame of encodeMessage(FrameKind[message.kind], bytes, this.nextMessageId++)) this.dc.send(frame)
    return true
  }

  /** Closes the connection (locally; tell the remote with `peer.disconnect` separately). */
  close(state = "closed") {
    this.pc?.close()
    this.#setState(state)
  }

  async stats() {
    return this.pc === undefined ? new Map() : this.pc.getStats()
  }

  #fresh(requestId) {
    this.pc?.close()
    const pc = new RTCPeerConnection({ iceServers: [{ urls: this.stunUrl }], bundlePolicy: "max-bundle" })
    this.pc = pc
    for (const track of this.tracks) pc.addTrack(track)
    const dc = pc.createDataChannel("remotemedia", { negotiated: true, id: 0, ordered: true })
    dc.binaryType = "arraybuffer"
    const reassemble = makeReassembler((message) => this.hooks.onMessage(message))
    dc.onmessage = (event) => {
      if (event.data instanceof ArrayBuffer) reassemble(event.data)
    }
    dc.onopen = () => this.hooks.onChannelOpen()
    this.dc = dc
    pc.onicecandidate = (event) => {
      if (this.pc !== pc) return
      this.signaling.notify("peer.ice_candidate", {
        to: this.remoteId,
        candidate: event.candidate ? event.candidate.candidate : "",
        sdp_mid: event.candidate ? event.candidate.sdpMid : null,
        sdp_m_line_index: event.candidate ? event.candidate.sdpMLineIndex : null,
        request_id: requestId
      })
    }
    pc.onconnectionstatechange = () => {
      if (this.pc === pc) this.#setState(pc.connectionState)
    }
    pc.ontrack = (event) => this.hooks.onTrack(event.track)
    this.#setState("connecting")
    return pc
  }

  async #flush(requestId) {
    const queue = this.early.get(requestId) ?? []
    this.early.delete(requestId)
    for (const candidate of queue) await this.pc.addIceCandidate(candidate).catch(() => undefined)
  }

  #setState(state) {
    if (this.state === state) return
    this.state = state
    this.hooks.onState(state)
  }
}
