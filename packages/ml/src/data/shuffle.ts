/** Fisher–Yates with a caller-supplied random source (e.g. @leukoflow/imaging's seededRandom), so orders repeat. */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
