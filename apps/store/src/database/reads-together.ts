/**
 * Independent reads started at once, so a request waits for the slowest instead of for all of them in turn.
 * When some fail, the error is that of the first failing read in the order given: the one a caller reading them
 * one after the other would have met first.
 */
export async function readTogether<T extends readonly unknown[]>(reads: {
  readonly [K in keyof T]: Promise<T[K]>;
}): Promise<T> {
  const settled = await Promise.allSettled(reads);
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
