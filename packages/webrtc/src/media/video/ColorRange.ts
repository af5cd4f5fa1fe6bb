/**
 * Full-range ("JPEG", every code 0–255) to limited-range ("MPEG", luma 16–235, chroma 16–240) YUV.
 *
 * The media path's I420 is limited range: that is what our encoders signal and what x264/libvpx decode to.
 * Chromium's software H.264 encoder (OpenH264) marks its stream full range, so libavcodec decodes it to
 * `yuvj420p`; passed on unconverted, its black would sit below our black and its white above our white
 * (crushed, over-contrasted pictures once re-encoded or compared). Scaling once on receive keeps one
 * meaning for every `VideoFrame`.
 *
 * @since 0.1.0
 */

/** Which kind of I420 plane a table maps: luma (Y) or chroma (U, V). */
export type PlaneKind = "luma" | "chroma"

const table = (kind: PlaneKind): Uint8Array =>
  Uint8Array.from({ length: 256 }, (_, full) => Math.round(kind === "luma" ? 16 + (full * 219) / 255 : 128 + ((full - 128) * 224) / 255))

const tables: Readonly<Record<PlaneKind, Uint8Array>> = { luma: table("luma"), chroma: table("chroma") }

/** The limited-range code of the full-range code `full` (0–255) of a `kind` plane. */
export const limitedRangeOf = (kind: PlaneKind, full: number): number => tables[kind][full]!

/** Rewrites a full-range plane in place as limited range: one table lookup per sample. */
export const toLimitedRange = (plane: Uint8Array, kind: PlaneKind): void => {
  const lookup = tables[kind]
  for (let i = 0; i < plane.length; i++) plane[i] = lookup[plane[i]!]!
}
