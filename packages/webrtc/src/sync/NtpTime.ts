/**
 * NTP timestamps (RFC 3550 §4: 64-bit, seconds since 1900 in the high word, binary fraction in the low
 * word) converted to and from Unix microseconds.
 *
 * @since 0.1.0
 */

/** Seconds from the NTP epoch (1900-01-01) to the Unix epoch (1970-01-01). */
export const NTP_EPOCH_OFFSET_S = 2208988800

const FRACTION = 2 ** 32

/** Unix microseconds of a 64-bit NTP timestamp. */
export const ntpToUnixUs = (ntp: bigint): number => {
  const seconds = Number(ntp >> 32n) - NTP_EPOCH_OFFSET_S
  const fraction = Number(ntp & 0xffffffffn) / FRACTION
  return (seconds + fraction) * 1e6
}

/** The 64-bit NTP timestamp of a Unix time in microseconds. */
export const unixUsToNtp = (unixUs: number): bigint => {
  const total = unixUs / 1e6 + NTP_EPOCH_OFFSET_S
  const seconds = Math.floor(total)
  const fraction = Math.min(FRACTION - 1, Math.round((total - seconds) * FRACTION))
  return (BigInt(seconds) << 32n) | BigInt(fraction)
}
