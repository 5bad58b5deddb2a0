/**
 * Binary search over a sorted list: the first index whose item is not below `target` (the list's
 * length when every item is). `below(item, target)` must agree with the list's order.
 */
export function lowerBound<T, K>(list: readonly T[], target: K, below: (item: T, target: K) => boolean): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (below(list[middle]!, target)) low = middle + 1;
    else high = middle;
  }
  return low;
}
