export interface Disposable {
  dispose(): void;
}

export interface Lease<M> {
  model: M;
  release(): void;
}

/**
 * Holds the model being served. A batch leases the current model for its forward pass; swap()
 * makes a new one current at once, and the old one is disposed when its last lease is released.
 */
export class ModelSlot<M extends Disposable> {
  private leases = new Map<M, number>();
  private retired = false;

  constructor(private current: M) {
    this.leases.set(current, 0);
  }

  get model(): M {
    return this.current;
  }

  acquire(): Lease<M> {
    const model = this.current;
    this.leases.set(model, this.leases.get(model)! + 1);
    let released = false;
    return {
      model,
      release: () => {
        if (released) return;
        released = true;
        this.leases.set(model, this.leases.get(model)! - 1);
        this.disposeIfRetired(model);
      },
    };
  }

  swap(next: M): void {
    const previous = this.current;
    this.current = next;
    this.leases.set(next, this.leases.get(next) ?? 0);
    this.disposeIfRetired(previous);
  }

  /**
   * Stops serving: the current model is disposed once its last lease is released (at once if none
   * is out). The slot is not used after (a worker whose shadow ended; shadow/shadow-slot.ts).
   */
  retire(): void {
    this.retired = true;
    this.disposeIfRetired(this.current);
  }

  /** Disposes the current model; call once nothing is in flight. */
  dispose(): void {
    this.current.dispose();
    this.leases.clear();
  }

  private disposeIfRetired(model: M): void {
    if ((model === this.current && !this.retired) || this.leases.get(model) !== 0) return;
    this.leases.delete(model);
    model.dispose();
  }
}
