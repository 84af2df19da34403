/**
 * Serialises async work per key inside one process (a promise chain per key): two updates of the same
 * run never interleave their read-modify-write, while different runs proceed in parallel.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<R>(key: string, fn: () => Promise<R>): Promise<R> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const result = prev.then(() => fn()); // `prev` never rejects (see `tail`), so a failure does not block successors
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    // Drop the entry once idle so the map does not grow with every run ever touched.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Resolves when all work queued so far has settled. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }
}
