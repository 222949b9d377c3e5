import { describe, expect, it } from "vitest";
import { useIsolatedServices } from "../../../../test/support/isolated-services.js";

describe("the Database's unit of work", () => {
  const services = useIsolatedServices();

  it("commits the changes of every repository it ran, a unit of work inside it joining it", async () => {
    const { specimen } = await services.db.transaction(async (tx) => {
      const lab = await tx.labs.findOrCreate("committed-lab", "Committed");
      return tx.transaction(async (inner) => ({
        specimen: await inner.specimens.create({ labId: lab.id, accession: "UOW-1" }),
      }));
    });
    expect(await services.db.specimens.findInLab(specimen.labId, specimen.id)).toMatchObject({ accession: "UOW-1" });
  });

  it("rolls back every change, the inner unit of work's too, when anything in it fails", async () => {
    await expect(
      services.db.transaction(async (tx) => {
        await tx.labs.findOrCreate("outer-lab", "Outer");
        await tx.transaction((inner) => inner.labs.findOrCreate("inner-lab", "Inner"));
        expect(await tx.labs.findBySlug("inner-lab")).not.toBeNull();
        throw new Error("the rest of the change failed");
      }),
    ).rejects.toThrow("the rest of the change failed");
    expect(await services.db.labs.findBySlug("outer-lab")).toBeNull();
    expect(await services.db.labs.findBySlug("inner-lab")).toBeNull();
  });
});
