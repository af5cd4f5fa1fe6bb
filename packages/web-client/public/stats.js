// Turns two successive RTCStatsReports of one connection into the figures the page shows.

const kbps = (bytes, previousBytes, ms) => (ms > 0 ? Math.max(0, ((bytes - previousBytes) * 8) / ms) : 0)

/** The counters read out of one report. */
export function sampleOf(report) {
  const sample = { at: performance.now(), rttMs: undefined, audioIn: undefined, videoIn: undefined, audioOut: undefined, videoOut: undefined }
  const codecs = new Map()
  for (const stat of report.values()) if (stat.type === "codec") codecs.set(stat.id, stat.mimeType)
  for (const stat of report.values()) {
    if (stat.type === "candidate-pair" && stat.nominated && stat.currentRoundTripTime !== undefined) {
      sample.rttMs = stat.currentRoundTripTime * 1000
    } else if (stat.type === "inbound-rtp") {
      const common = {
        bytes: stat.bytesReceived ?? 0,
        packetsLost: stat.packetsLost ?? 0,
        packetsReceived: stat.packetsReceived ?? 0,
        jitterMs: (stat.jitter ?? 0) * 1000,
        jitterBufferMs: stat.jitterBufferEmittedCount > 0 ? (stat.jitterBufferDelay / stat.jitterBufferEmittedCount) * 1000 : 0,
        codec: codecs.get(stat.codecId)
      }
      if (stat.kind === "audio") sample.audioIn = { ...common, energy: stat.totalAudioEnergy ?? 0, level: stat.audioLevel ?? 0 }
      else sample.videoIn = { ...common, framesDecoded: stat.framesDecoded ?? 0, width: stat.frameWidth, height: stat.frameHeight, fps: stat.framesPerSecond }
    } else if (stat.type === "outbound-rtp") {
      const common = { bytes: stat.bytesSent ?? 0, codec: codecs.get(stat.codecId) }
      if (stat.kind === "audio") sample.audioOut = common
      else sample.videoOut = { ...common, width: stat.frameWidth, height: stat.frameHeight, fps: stat.framesPerSecond }
    }
  }
  return sample
}

/** What one table row shows, from the latest sample and the one before it. */
export function figuresOf(now, before) {
  const ms = before === undefined ? 0 : now.at - before.at
  const rate = (key) => (now[key] === undefined ? 0 : kbps(now[key].bytes, before?.[key]?.bytes ?? now[key].bytes, ms))
  const received = (now.audioIn?.packetsReceived ?? 0) + (now.videoIn?.packetsReceived ?? 0)
  const lost = (now.audioIn?.packetsLost ?? 0) + (now.videoIn?.packetsLost ?? 0)
  return {
    rttMs: now.rttMs,
    lossPercent: received + lost > 0 ? (100 * lost) / (received + lost) : 0,
    jitterMs: now.audioIn?.jitterMs ?? 0,
    jitterBufferMs: now.audioIn?.jitterBufferMs ?? 0,
    audioInKbps: rate("audioIn"),
    videoInKbps: rate("videoIn"),
    audioOutKbps: rate("audioOut"),
    videoOutKbps: rate("videoOut"),
    audioEnergy: now.audioIn?.energy ?? 0,
    audioLevel: now.audioIn?.level ?? 0,
    audioCodec: now.audioIn?.codec,
    framesDecoded: now.videoIn?.framesDecoded ?? 0,
    videoCodec: now.videoIn?.codec,
    receivedResolution: now.videoIn?.width === undefined ? undefined : `${now.videoIn.width}x${now.videoIn.height}`,
    receivedFps: now.videoIn?.fps,
    sentResolution: now.videoOut?.width === undefined ? undefined : `${now.videoOut.width}x${now.videoOut.height}`,
    sentVideoCodec: now.videoOut?.codec
  }
}
