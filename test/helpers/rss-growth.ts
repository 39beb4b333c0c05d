/**
 * How much the process's RSS grew at its peak while `work` ran (sampled every 10 ms), and the
 * bound the upload tests allow: tight when `--expose-gc` lets the baseline be collected first,
 * looser otherwise (garbage from earlier tests may or may not be collected during the work).
 */
export async function peakRssGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growth: number; bound: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  let result: T;
  try {
    result = await work();
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  const MB = 1024 * 1024;
  return { result, growth: peak - before, bound: gc ? 64 * MB : 96 * MB };
}
