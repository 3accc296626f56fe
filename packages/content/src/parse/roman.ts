const VALUES: Record<string, number> = { I: 1, V: 5, X: 10 };

/** Part numerals (I-IV here); undefined for anything that is not a roman numeral. */
export function fromRoman(numeral: string): number | undefined {
  if (!/^[IVX]+$/.test(numeral)) return undefined;
  let total = 0;
  [...numeral].forEach((char, i) => {
    const value = VALUES[char] ?? 0;
    const following = VALUES[numeral[i + 1] ?? ""] ?? 0;
    total += value < following ? -value : value;
  });
  return total;
}
