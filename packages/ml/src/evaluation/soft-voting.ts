/** Weighted mean of the members' rows (each already temperature-scaled); `memberRows[m][i]` is member m's probabilities for image i. */
export function softVote(
  memberRows: readonly (readonly ArrayLike<number>[])[],
  weights: readonly number[],
): Float32Array[] {
  const images = memberRows[0]?.length ?? 0;
  return Array.from({ length: images }, (_, i) => {
    const classes = memberRows[0]![i]!.length;
    const mean = new Float32Array(classes);
    memberRows.forEach((rows, m) => {
      for (let c = 0; c < classes; c++) mean[c]! += weights[m]! * rows[i]![c]!;
    });
    return mean;
  });
}
