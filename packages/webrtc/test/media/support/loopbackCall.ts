/**
 * Two werift peer connections in one process, connected over loopback with our own STUN responder (never
 * werift's public default), for end-to-end media tests. The caller offers an audio and a video
 * transceiver (sendrecv); the scope closes both connections.
 */
import { Deferred, Effect } from "effect"
import { MediaStreamTrack, RTCPeerConnection, type RTCRtpCodecParameters, type RTCRtpReceiver, type RTCRtpTransceiver, useOPUS } from "werift"
import { stunServer } from "../../support/stunServer.ts"

/** The two ends of a loopback call. */
export interface LoopbackCall {
  readonly audio: { readonly track: MediaStreamTrack; readonly transceiver: RTCRtpTransceiver }
  readonly video: { readonly track: MediaStreamTrack; readonly transceiver: RTCRtpTransceiver }
  /** The callee's remote tracks and receivers, by kind. */
  readonly remote: { readonly audio: Remote; readonly video: Remote }
}

/** One track as the callee sees it. */
export interface Remote {
  readonly track: MediaStreamTrack
  readonly receiver: RTCRtpReceiver
}

const isLoopback = (host: string) => host.startsWith("127.")

const peer = (stunUrl: string, video: RTCRtpCodecParameters) =>
  Effect.acquireRelease(
    Effect.sync(() =>
      new RTCPeerConnection({
        iceServers: [{ urls: stunUrl }],
        iceUseIpv6: false,
        // werift skips loopback when gathering unless told (field notes, pitfall 2).
        iceAdditionalHostAddresses: ["127.0.0.1"],
        iceFilterCandidatePair: (pair) => isLoopback(pair.localCandidate.host) && isLoopback(pair.remoteCandidate.host),
        bundlePolicy: "max-bundle",
        codecs: { audio: [useOPUS()], video: [video] }
      })
    ),
    (pc) => Effect.promise(() => pc.close())
  )

/** Connects a caller and a callee that negotiate only `video` as video codec; fails after 10 s. */
export const loopbackCall = (video: () => RTCRtpCodecParameters) =>
  Effect.gen(function*() {
    const stunUrl = yield* stunServer
    const caller = yield* peer(stunUrl, video())
    const callee = yield* peer(stunUrl, video())
    const remoteAudio = yield* Deferred.make<Remote>()
    const remoteVideo = yield* Deferred.make<Remote>()
    callee.onTrack.subscribe((track) => {
      const transceiver = callee.getTransceivers().find((t) => t.receiver.tracks.includes(track))!
      const remote = { track, receiver: transceiver.receiver }
      Deferred.doneUnsafe(track.kind === "audio" ? remoteAudio : remoteVideo, Effect.succeed(remote))
    })
    caller.onIceCandidate.subscribe((candidate) => void callee.addIceCandidate(candidate).catch(() => undefined))
    callee.onIceCandidate.subscribe((candidate) => void caller.addIceCandidate(candidate).catch(() => undefined))
    const audioTrack = new MediaStreamTrack({ kind: "audio" })
    const videoTrack = new MediaStreamTrack({ kind: "video" })
    const audio = caller.addTransceiver(audioTrack, { direction: "sendrecv" })
    const videoTransceiver = caller.addTransceiver(videoTrack, { direction: "sendrecv" })
    // Watch before negotiating: either side may connect before the other's answer is applied.
    const connected = [caller, callee].map((pc) => pc.connectionStateChange.watch((state) => state === "connected"))
    yield* Effect.promise(async () => {
      await caller.setLocalDescription(await caller.createOffer())
      await callee.setRemoteDescription(caller.localDescription!)
      await callee.setLocalDescription(await callee.createAnswer())
      await caller.setRemoteDescription(callee.localDescription!)
    })
    yield* Effect.promise(() => Promise.all(connected))
    const call: LoopbackCall = {
      audio: { track: audioTrack, transceiver: audio },
      video: { track: videoTrack, transceiver: videoTransceiver },
      remote: { audio: yield* Deferred.await(remoteAudio), video: yield* Deferred.await(remoteVideo) }
    }
    return call
  }).pipe(Effect.timeoutOrElse({ duration: "10 seconds", orElse: () => Effect.die(new Error("loopback call did not connect within 10 s")) }))
