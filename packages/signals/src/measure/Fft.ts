/**
 * Magnitude spectrum by an iterative radix-2 FFT: the shared core of the frequency measurements.
 *
 * @since 0.1.0
 */

const nextPowerOfTwo = (n: number): number => 2 ** Math.ceil(Math.log2(Math.max(2, n)))

/**
 * Power spectrum (|X[k]|², k = 0..N/2) of `samples` under a Hann window, zero-padded to a power of two
 * of at least `minSize` points. Bin `k` lies at `k · sampleRate / size` Hz.
 */
export const powerSpectrum = (samples: Float32Array, minSize = 0): { readonly power: Float64Array; readonly size: number } => {
  const size = nextPowerOfTwo(Math.max(samples.length, minSize))
  const re = new Float64Array(size)
  const im = new Float64Array(size)
  const n = samples.length
  for (let i = 0; i < n; i++) re[i] = samples[i]! * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / Math.max(1, n - 1)))
  for (let i = 1, j = 0; i < size; i++) {
    let bit = size >> 1
    for (; j & bit; bit >>= 1) j ^= bit
    j ^= bit
    if (i < j) {
      const t = re[i]!
      re[i] = re[j]!
      re[j] = t
    }
  }
  for (let len = 2; len <= size; len <<= 1) {
    const angle = (-2 * Math.PI) / len
    const wr = Math.cos(angle)
    const wi = Math.sin(angle)
    for (let start = 0; start < size; start += len) {
      let cr = 1
      let ci = 0
      for (let k = 0; k < len / 2; k++) {
        const a = start + k
        const b = a + len / 2
        const xr = re[b]! * cr - im[b]! * ci
        const xi = re[b]! * ci + im[b]! * cr
        re[b] = re[a]! - xr
        im[b] = im[a]! - xi
        re[a] = re[a]! + xr
        im[a] = im[a]! + xi
        const nr = cr * wr - ci * wi
        ci = cr * wi + ci * wr
        cr = nr
      }
    }
  }
  const power = new Float64Array(size / 2 + 1)
  for (let k = 0; k <= size / 2; k++) power[k] = re[k]! * re[k]! + im[k]! * im[k]!
  return { power, size }
}
