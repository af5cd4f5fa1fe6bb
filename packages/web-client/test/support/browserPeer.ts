/**
 * The page side of the Chromium interop test, as plain browser JavaScript (handed to `page.evaluate` as a
 * string, so no bundler helper can leak into it). It speaks signaling-protocol.md over a WebSocket,
 * answers offers with the browser's own RTCPeerConnection, and speaks the data-channel framing of
 * @remotemedia/webrtc's `src/datachannel/frameCodec.ts` (single-frame messages). It skips the Hello and Ack
 * control frames and sends none: a peer that does not resume, which the transport must still serve.
 *
 * After `start(...)` resolves the page is announced. `window.__received` resolves with the first three
 * messages it got (`{kind, bytes}`), after it has sent three back: Text, Binary, Json.
 */

/** What the page sends back, for the test to compare byte for byte. */
export const browserReplies = {
  text: "hello from chromium ✓",
  binary: [9, 8, 7, 0, 255],
  json: { from: "browser", ok: true }
} as const

/** `(${browserPeerScript})(args)` in the page; args: `{ signalingUrl, stunUrl, peerId }`. */
export const browserPeerScript = `async ({ signalingUrl, stunUrl, peerId, replies }) => {
  const ws = new WebSocket(signalingUrl)
  let nextId = 1
  const pending = new Map()
  const request = (method, params) => new Promise((resolve, reject) => {
    const id = nextId++
    pending.set(id, { resolve, reject })
    ws.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }))
  })
  const notify = (method, params) => ws.send(JSON.stringify({ jsonrpc: "2.0", method, params }))
  const encode = (kind, payload, id) => {
    const frame = new Uint8Array(14 + payload.length)
    const view = new DataView(frame.buffer)
    view.setUint8(0, 1); view.setUint8(1, kind); view.setUint32(2, id); view.setUint32(6, payload.length); view.setUint32(10, 0)
    frame.set(payload, 14)
    return frame
  }
  const received = []
  let done
  window.__received = new Promise((resolve) => { done = resolve })
  let pc
  let remoteSet = false
  const early = []
  const onOffer = async (params) => {
    pc = new RTCPeerConnection({ iceServers: [{ urls: stunUrl }] })
    const dc = pc.createDataChannel("remotemedia", { negotiated: true, id: 0, ordered: true })
    dc.binaryType = "arraybuffer"
    dc.onmessage = (event) => {
      const view = new DataView(event.data)
      if (view.getUint8(1) > 2) return
      received.push({ kind: view.getUint8(1), bytes: Array.from(new Uint8Array(event.data, 14)) })
      if (received.length !== 3) return
      const utf8 = (s) => new TextEncoder().encode(s)
      dc.send(encode(1, utf8(replies.text), 0))
      dc.send(encode(0, Uint8Array.from(replies.binary), 1))
      dc.send(encode(2, utf8(JSON.stringify(replies.json)), 2))
      done(received)
    }
    pc.onicecandidate = (event) => notify("peer.ice_candidate", {
      to: params.from,
      candidate: event.candidate ? event.candidate.candidate : "",
      sdp_mid: event.candidate ? event.candidate.sdpMid : null,
      sdp_m_line_index: event.candidate ? event.candidate.sdpMLineIndex : null,
      request_id: params.request_id
    })
    await pc.setRemoteDescription({ type: "offer", sdp: params.sdp })
    remoteSet = true
    for (const candidate of early.splice(0)) await pc.addIceCandidate(candidate).catch(() => {})
    await pc.setLocalDescription(await pc.createAnswer())
    await request("peer.answer", { to: params.from, sdp: pc.localDescription.sdp, can_trickle_ice_candidates: true, request_id: params.request_id })
  }
  ws.onmessage = (event) => {
    const message = JSON.parse(event.data)
    if (message.id !== undefined && pending.has(message.id)) {
      const { resolve, reject } = pending.get(message.id)
      pending.delete(message.id)
      if (message.error) reject(new Error(JSON.stringify(message.error))); else resolve(message.result)
      return
    }
    const params = message.params
    if (message.method === "peer.offer") onOffer(params)
    else if (message.method === "peer.ice_candidate" && params.candidate !== "") {
      const candidate = { candidate: params.candidate, sdpMid: params.sdp_mid, sdpMLineIndex: params.sdp_m_line_index }
      if (remoteSet) pc.addIceCandidate(candidate).catch(() => {}); else early.push(candidate)
    }
  }
  await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = () => reject(new Error("signaling socket failed")) })
  await request("peer.announce", { peer_id: peerId, capabilities: ["audio", "video", "data"] })
}`
