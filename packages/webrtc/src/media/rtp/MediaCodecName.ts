/**
 * The codecs the media path speaks, with their RTP names.
 *
 * @since 0.1.0
 */

/** A video codec of the media path. */
export type VideoCodecName = "VP8" | "VP9" | "H264"
/** Any codec of the media path. */
export type MediaCodecName = "opus" | VideoCodecName

/** The codec of a negotiated `mimeType` such as `video/VP9` or `audio/opus`, if the media path speaks it. */
export const codecFromMimeType = (mimeType: string): MediaCodecName | undefined => {
  switch (mimeType.toLowerCase()) {
    case "audio/opus":
      return "opus"
    case "video/vp8":
      return "VP8"
    case "video/vp9":
      return "VP9"
    case "video/h264":
      return "H264"
    default:
      return undefined
  }
}
