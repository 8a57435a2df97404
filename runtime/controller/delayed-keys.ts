// Keys waiting for their time (addAfter, rate-limited retries): a min-heap by due time, one entry per key.

interface Entry<K> {
  key: K;
  dueAt: number;
}

/** Keys with a due time; scheduling a key again keeps the earlier time, as client-go's delaying queue does. */
export class DelayedKeys<K> {
  readonly #due = new Map<K, number>();
  // Entries whose due time no longer matches #due are stale and skipped when they surface.
  #heap: Entry<K>[] = [];

  get size(): number {
    return this.#due.size;
  }

  /** Schedules `key` at `dueAt`; answers whether that made it the earliest entry (the caller re-arms its timer). */
  schedule(key: K, dueAt: number): boolean {
    const current = this.#due.get(key);
    if (current !== undefined && current <= dueAt) return false;
    const earliestBefore = this.nextDueAt();
    this.#due.set(key, dueAt);
    this.#push({ key, dueAt });
    return earliestBefore === undefined || dueAt < earliestBefore;
  }

  /** The earliest due time, if any key waits. */
  nextDueAt(): number | undefined {
    this.#dropStale();
    return this.#heap[0]?.dueAt;
  }

  /** Removes and answers every key due at `now` or before, earliest first. */
  takeDue(now: number): K[] {
    const due: K[] = [];
    for (let next = this.nextDueAt(); next !== undefined && next <= now; next = this.nextDueAt()) {
      const entry = this.#pop()!;
      this.#due.delete(entry.key);
      due.push(entry.key);
    }
    return due;
  }

  clear(): void {
    this.#due.clear();
    this.#heap = [];
  }

  #dropStale(): void {
    while (this.#heap.length > 0 && this.#due.get(this.#heap[0]!.key) !== this.#heap[0]!.dueAt) this.#pop();
  }

  #push(entry: Entry<K>): void {
    const heap = this.#heap;
    heap.push(entry);
    for (let child = heap.length - 1; child > 0; ) {
      const parent = (child - 1) >> 1;
      if (heap[parent]!.dueAt <= heap[child]!.dueAt) break;
      [heap[parent], heap[child]] = [heap[child]!, heap[parent]!];
      child = parent;
    }
  }

  #pop(): Entry<K> | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return top;
    heap[0] = last;
    for (let parent = 0; ; ) {
      const left = parent * 2 + 1;
      const right = left + 1;
      let smallest = parent;
      if (left < heap.length && heap[left]!.dueAt < heap[smallest]!.dueAt) smallest = left;
      if (right < heap.length && heap[right]!.dueAt < heap[smallest]!.dueAt) smallest = right;
      if (smallest === parent) break;
      [heap[parent], heap[smallest]] = [heap[smallest]!, heap[parent]!];
      parent = smallest;
    }
    return top;
  }
}
