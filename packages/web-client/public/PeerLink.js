// One browser RTCPeerConnection to one remote peer, negotiated through signaling-protocol.md: trickle
// ICE tagged with the offer's request_id, candidates buffered until the remote description is set, glare
// resolved by byte order of the peer ids, and the transport's data channel (negotiated, id 0, our framing),
// resumed on every new connection to the same peer: unacknowledged messages go again, repeats are dropped.

import { ControlKind, encodeControl, encodeMessage, FrameKind, isAfter, makeReassembler } from "./frames.js"

let offers = 0
const MAX_UNACKED_BYTES = 32 * 1024 * 1024

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
    // Resumption (frameCodec.ts, "Resuming after a re-connection"): our epoch, what the remote has not
    // acknowledged yet, and the last message received in the remote's epoch.
    this.epoch = crypto.getRandomValues(new Uint32Array(1))[0] || 1
    this.unacked = []
    this.unackedBytes = 0
    this.remoteEpoch = undefined
    this.lastReceived = undefined
    this.ackTimer = undefined
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
    const sent = { id: this.nextMessageId, kind: FrameKind[message.kind], bytes: bytes.slice() }
    this.nextMessageId = (this.nextMessageId + 1) >>> 0
    this.unacked.push(sent)
    this.unackedBytes += sent.bytes.length
    // Bounded like the transport's ledger: past it the oldest could not be resent.
    while (this.unackedBytes > MAX_UNACKED_BYTES && this.unacked.length > 1) this.unackedBytes -= this.unacked.shift().bytes.length
    this.#transmit(sent)
    return true
  }

  #transmit({ id, kind, bytes }) {
    for (const frame of encodeMessage(kind, bytes, id)) this.dc.send(frame)
  }

  #onControl(kind, value) {
    if (kind === ControlKind.Ack) {
      const acked = this.unacked.findIndex((sent) => isAfter(sent.id, value))
      const released = this.unacked.splice(0, acked === -1 ? this.unacked.length : acked)
      for (const sent of released) this.unackedBytes -= sent.bytes.length
    } else if (value !== this.remoteEpoch) {
      this.remoteEpoch = value
      this.lastReceived = undefined
    }
  }

  #onMessage(message, id) {
    if (this.lastReceived !== undefined && !isAfter(id, this.lastReceived)) return
    this.lastReceived = id
    this.ackTimer ??= setTimeout(() => {
      this.ackTimer = undefined
      if (this.dc?.readyState === "open") this.dc.send(encodeControl(ControlKind.Ack, this.lastReceived))
    }, 50)
    this.hooks.onMessage(message)
  }

  /** Closes the connection (locally; tell the remote with `peer.disconnect` separately). */
  close(state = "closed") {
    clearTimeout(this.ackTimer)
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
    const reassemble = makeReassembler((message, id) => this.#onMessage(message, id), (kind, value) => this.#onControl(kind, value))
    dc.onmessage = (event) => {
      if (event.data instanceof ArrayBuffer) reassemble(event.data)
    }
    dc.onopen = () => {
      dc.send(encodeControl(ControlKind.Hello, this.epoch))
      for (const sent of this.unacked) this.#transmit(sent)
      this.hooks.onChannelOpen()
    }
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
