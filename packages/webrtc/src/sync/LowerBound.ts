/**
 * Binary search in an ascending array, shared by the jitter buffer (frames by sequence number) and the
 * A/V aligner (sorted offsets).
 *
 * @since 0.1.0
 */

/** Index of the first item whose `key` is >= `value` (`items.length` when none is). */
export const lowerBound = <T>(items: ReadonlyArray<T>, value: number, key: (item: T) => number): number => {
  let low = 0
  let high = items.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if (key(items[mid]!) < value) low = mid + 1
    else high = mid
  }
  return low
}
