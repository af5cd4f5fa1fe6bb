/**
 * A 16-bit PCM WAV file written while audio arrives (`--record`): the header's sizes are patched when the
 * file is closed, so a run stopped at any time leaves a valid file.
 *
 * @since 0.1.0
 */
import { closeSync, openSync, writeSync } from "node:fs"

const headerBytes = 44

/** The 44-byte RIFF/WAVE header of `dataBytes` of 16-bit PCM. */
export const wavHeader = (sampleRate: number, channels: number, dataBytes: number): Uint8Array => {
  const header = new DataView(new ArrayBuffer(headerBytes))
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) header.setUint8(offset + i, text.charCodeAt(i))
  }
  ascii(0, "RIFF")
  header.setUint32(4, 36 + dataBytes, true)
  ascii(8, "WAVE")
  ascii(12, "fmt ")
  header.setUint32(16, 16, true)
  header.setUint16(20, 1, true)
  header.setUint16(22, channels, true)
  header.setUint32(24, sampleRate, true)
  header.setUint32(28, sampleRate * channels * 2, true)
  header.setUint16(32, channels * 2, true)
  header.setUint16(34, 16, true)
  ascii(36, "data")
  header.setUint32(40, dataBytes, true)
  return new Uint8Array(header.buffer)
}

/** Float samples in [-1, 1] as little-endian 16-bit PCM (clipped). */
export const pcm16 = (samples: Float32Array): Uint8Array => {
  const out = new DataView(new ArrayBuffer(samples.length * 2))
  for (let i = 0; i < samples.length; i++) {
    const value = Math.max(-1, Math.min(1, samples[i]!))
    out.setInt16(i * 2, Math.round(value * 32767), true)
  }
  return new Uint8Array(out.buffer)
}

/** An open WAV file. */
export interface WavFile {
  readonly sampleRate: number
  readonly channels: number
  /** Appends interleaved samples. */
  readonly append: (samples: Float32Array) => void
  /** Patches the header's sizes and closes the file. */
  readonly close: () => void
}

/** Creates (or truncates) `path`. Throws the file system's error when it cannot be created. */
export const createWavFile = (path: string, sampleRate: number, channels: number): WavFile => {
  const fd = openSync(path, "w")
  let dataBytes = 0
  writeSync(fd, wavHeader(sampleRate, channels, 0))
  return {
    sampleRate,
    channels,
    append: (samples) => {
      dataBytes += writeSync(fd, pcm16(samples))
    },
    close: () => {
      writeSync(fd, wavHeader(sampleRate, channels, dataBytes), 0, headerBytes, 0)
      closeSync(fd)
    }
  }
}
