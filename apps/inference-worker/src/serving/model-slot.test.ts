import { describe, expect, it } from "vitest";
import { ModelSlot } from "./model-slot.js";

class Model {
  disposed = false;
  constructor(readonly name: string) {}
  dispose(): void {
    this.disposed = true;
  }
}

describe("ModelSlot", () => {
  it("swaps at once and disposes the old model only after its last in-flight lease", () => {
    const v1 = new Model("v1");
    const slot = new ModelSlot(v1);
    const inFlight = slot.acquire();
    const v2 = new Model("v2");
    slot.swap(v2);
    expect(slot.acquire().model).toBe(v2);
    expect(v1.disposed).toBe(false);
    inFlight.release();
    inFlight.release();
    expect(v1.disposed).toBe(true);
    expect(v2.disposed).toBe(false);
  });

  it("disposes a model with nothing in flight as soon as it is swapped out", () => {
    const v1 = new Model("v1");
    const slot = new ModelSlot(v1);
    slot.acquire().release();
    slot.swap(new Model("v2"));
    expect(v1.disposed).toBe(true);
  });

  it("retires its model once the last lease in flight is released", () => {
    const v1 = new Model("v1");
    const slot = new ModelSlot(v1);
    const inFlight = slot.acquire();
    slot.retire();
    expect(v1.disposed).toBe(false);
    inFlight.release();
    expect(v1.disposed).toBe(true);
    const idle = new Model("idle");
    new ModelSlot(idle).retire();
    expect(idle.disposed).toBe(true);
  });
});
