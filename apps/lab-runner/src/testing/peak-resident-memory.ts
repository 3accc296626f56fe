/** Samples `residentBytes` every ~200 ms while `work` runs; the peak, not an average, is what must fit. */
export async function peakResidentBytes<T>(residentBytes: () => number, work: () => Promise<T>): Promise<{ result: T; peakBytes: number }> {
  let peakBytes = residentBytes();
  const timer = setInterval(() => (peakBytes = Math.max(peakBytes, residentBytes())), 200);
  try {
    return { result: await work(), peakBytes };
  } finally {
    clearInterval(timer);
  }
}
