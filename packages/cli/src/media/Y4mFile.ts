/**
 * Received video as a YUV4MPEG2 (`.y4m`) file (`--record`): raw I420 frames behind a one-line header, so
 * any player or ffmpeg reads it back losslessly (no second encode of what was received).
 *
 * @since 0.1.0
 */
import { closeSync, openSync, writeSync } from "node:fs"
import type { VideoFrame } from "@remotemedia/runtime-core"

/** The stream header; the frame rate is nominal (received video has no fixed rate). */
export const y4mHeader = (width: number, height: number, fps: number): string =>
  `YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`

/** An open `.y4m` file of one resolution. */
export interface Y4mFile {
  readonly width: number
  readonly height: number
  readonly append: (frame: VideoFrame) => void
  readonly close: () => void
}

/** Creates (or truncates) `path` for frames of `width × height`. */
export const createY4mFile = (path: string, width: number, height: number, fps: number): Y4mFile => {
  const fd = openSync(path, "w")
  writeSync(fd, y4mHeader(width, height, fps))
  return {
    width,
    height,
    append: (frame) => {
      writeSync(fd, "FRAME\n")
      for (const plane of frame.planes) writeSync(fd, plane)
    },
    close: () => closeSync(fd)
  }
}
