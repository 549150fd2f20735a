/** "Did you mean" for configuration keys and names: the closest known word within a couple of typos. */

/** Edit distance counting an adjacent swap as one edit (`detial` → `detail` is 1). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known word `given` most likely stands for, or undefined when none is close: the same word in other case, else
 * the nearest within 1 edit for short words and 2 for longer ones (a third of the word at most).
 */
export function closestMatch(given: string, known: readonly string[]): string | undefined {
  const folded = known.find((k) => k.toLowerCase() === given.toLowerCase());
  if (folded !== undefined) return folded;
  const limit = Math.min(2, Math.max(1, Math.floor(given.length / 3)));
  let best: { word: string; distance: number } | undefined;
  for (const word of known) {
    const distance = editDistance(given.toLowerCase(), word.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { word, distance };
  }
  return best?.word;
}

/** `; did you mean "detail"?`, or nothing when no known word is close. */
export function didYouMean(given: string, known: readonly string[]): string {
  const match = closestMatch(given, known);
  return match === undefined ? '' : `; did you mean "${match}"?`;
}
