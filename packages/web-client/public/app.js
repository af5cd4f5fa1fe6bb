// The page: joins the mesh named in the query string (?signaling=ws://…&stun=stun:…&peer=…&tone=…&size=…),
// sends canvas video and an oscillator tone to every peer, plays what it receives, shows each peer's
// stats and carries chat over the transport's data channel.

import { canvasVideo, oscillatorAudio } from "./media.js"
import { PeerLink } from "./PeerLink.js"
import { connectSignaling } from "./signaling.js"
import { figuresOf, sampleOf } from "./stats.js"

const query = new URLSearchParams(location.search)
const signalingUrl = query.get("signaling") ?? `ws://${location.hostname}:8080`
const stunUrl = query.get("stun") ?? `stun:${location.hostname}:3478`
const localId = query.get("peer") ?? `browser-${Math.floor(Math.random() * 1e6)}`
const toneHz = Number(query.get("tone") ?? 660)
const [videoWidth, videoHeight] = (query.get("size") ?? "640x360").split("x").map(Number)

const $ = (selector) => document.querySelector(selector)
const links = new Map()
const samples = new Map()

const video = canvasVideo($("#local"), localId, videoWidth, videoHeight)
const audio = oscillatorAudio(toneHz)

const chatLine = (from, text) => {
  const item = document.createElement("li")
  item.dataset.from = from
  item.textContent = `${from}: ${text}`
  $("#chat").append(item)
}

const rowOf = (remoteId) => {
  let row = document.querySelector(`tr[data-peer="${CSS.escape(remoteId)}"]`)
  if (row !== null) return row
  row = document.createElement("tr")
  row.dataset.peer = remoteId
  const fields = ["peer", "state", "rttMs", "lossPercent", "jitterMs", "jitterBufferMs", "audioInKbps", "audioEnergy",
    "videoInKbps", "framesDecoded", "receivedResolution", "sentResolution", "videoOutKbps", "sentVideoCodec"]
  for (const field of fields) {
    const cell = document.createElement("td")
    cell.dataset.field = field
    row.append(cell)
  }
  row.querySelector('[data-field="peer"]').textContent = remoteId
  $("#peers tbody").append(row)
  return row
}

const show = (remoteId, field, value) => {
  const cell = rowOf(remoteId).querySelector(`[data-field="${field}"]`)
  cell.dataset.value = value === undefined ? "" : String(value)
  cell.textContent = value === undefined ? "–" : typeof value === "number" ? value.toFixed(field === "audioEnergy" ? 3 : 0) : value
}

const remoteMedia = (remoteId, track) => {
  const id = `media-${remoteId}-${track.kind}`
  let element = document.getElementById(id)
  if (element === null) {
    element = document.createElement(track.kind === "video" ? "video" : "audio")
    element.id = id
    element.autoplay = true
    element.playsInline = true
    if (track.kind === "video") element.title = remoteId
    $("#remote").append(element)
  }
  element.srcObject = new MediaStream([track])
}

const signaling = await connectSignaling(signalingUrl, (method, params) => {
  const from = params.from ?? params.peer_id
  if (method === "peer.announced") show(params.peer_id, "state", "announced")
  else if (method === "peer.offer") linkTo(from).answer(params).catch((error) => console.error("answer failed", error))
  else if (method === "peer.answer") links.get(from)?.answered(params).catch((error) => console.error("answer rejected", error))
  else if (method === "peer.ice_candidate") linkTo(from).candidate(params)
  else if (method === "peer.disconnected" || method === "peer.left") {
    links.get(from)?.close(method === "peer.left" ? "left" : "disconnected")
    links.delete(from)
  }
})

function linkTo(remoteId) {
  let link = links.get(remoteId)
  if (link !== undefined) return link
  link = new PeerLink({
    localId,
    remoteId,
    signaling,
    stunUrl,
    tracks: [audio.track, video.track],
    hooks: {
      onState: (state) => show(remoteId, "state", state),
      onMessage: (message) =>
        chatLine(remoteId, message.kind === "Binary" ? `[${message.payload.length} bytes]` : message.kind === "Json" ? JSON.stringify(message.payload) : message.payload),
      onTrack: (track) => remoteMedia(remoteId, track),
      onChannelOpen: () => link.send({ kind: "Text", payload: `hello from ${localId}` })
    }
  })
  links.set(remoteId, link)
  rowOf(remoteId)
  return link
}

const announced = await signaling.request("peer.announce", { peer_id: localId, capabilities: ["audio", "video", "data"] })
$("#self").textContent = localId
$("#status").textContent = "announced"
// The newcomer calls everyone already there; later arrivals call us.
for (const peer of announced.peers) linkTo(peer.peer_id).offer().catch((error) => console.error("offer failed", error))

// Browsers cannot see WebSocket pings: a request now and then keeps the link alive (signaling-protocol.md).
setInterval(() => signaling.request("peer.list", {}).catch(() => undefined), 30_000)

setInterval(async () => {
  for (const [remoteId, link] of links) {
    const now = sampleOf(await link.stats())
    const figures = figuresOf(now, samples.get(remoteId))
    samples.set(remoteId, now)
    for (const [field, value] of Object.entries(figures)) if (rowOf(remoteId).querySelector(`[data-field="${field}"]`)) show(remoteId, field, value)
  }
}, 1000)

$("#chat-form").addEventListener("submit", (event) => {
  event.preventDefault()
  const text = $("#chat-input").value.trim()
  if (text === "") return
  for (const link of links.values()) link.send({ kind: "Text", payload: text })
  chatLine(localId, text)
  $("#chat-input").value = ""
})

window.addEventListener("pagehide", () => {
  video.stop()
  audio.stop()
  signaling.close()
})
