import { describe, expect, it } from "vitest";
import { useIsolatedServices } from "../../../test/support/isolated-services.js";
import { NoActiveModelError, SUBTYPE_TASK } from "@leukoflow/shared";
import { Prisma } from "@leukoflow/shared/prisma";
import { ALL_SUBTYPES, SUBTYPE_LABELS } from "@leukoflow/contracts";

describe("the active model of a task", () => {
  const services = useIsolatedServices();
  const models = () => services.db.modelVersions;
  const version = (name: string, task: string, active: boolean) =>
    services.prisma.modelVersion.create({
      data: {
        name,
        version: "1",
        architecture: "none",
        task,
        classes: [...SUBTYPE_LABELS],
        malignantClasses: [...ALL_SUBTYPES],
        inputSize: 64,
        artifactUri: "s3://unused/",
        artifactSha256: "0".repeat(64),
        active,
      },
    });

  it("is refused while no version of the task is active, even when another task has one", async () => {
    await version("other-task-model", "another-task", true);
    await version("inactive-subtype-model", SUBTYPE_TASK, false);
    await expect(models().activeModel(SUBTYPE_TASK)).rejects.toBeInstanceOf(NoActiveModelError);
  });

  it("is the one active version of the task, which the database keeps unique", async () => {
    const served = await version("served-model", SUBTYPE_TASK, true);
    expect((await models().activeModel(SUBTYPE_TASK)).id).toBe(served.id);

    const second = version("second-active-model", SUBTYPE_TASK, true);
    await expect(second).rejects.toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    await expect(second).rejects.toMatchObject({ code: "P2002" });
    const candidate = await version("candidate-model", SUBTYPE_TASK, false);
    await expect(
      services.prisma.modelVersion.update({ where: { id: candidate.id }, data: { active: true } }),
    ).rejects.toMatchObject({ code: "P2002" });

    // Switching is deactivating the old one and activating the new one in one transaction.
    await services.db.transaction((tx) => tx.modelVersions.makeActive(SUBTYPE_TASK, candidate.id));
    expect((await models().activeModel(SUBTYPE_TASK)).id).toBe(candidate.id);
    expect(await services.prisma.modelVersion.count({ where: { active: true } })).toBe(2);
  });

  it("stays as it was when the transaction switching it fails", async () => {
    const served = await models().activeModel(SUBTYPE_TASK);
    const next = await version("rolled-back-model", SUBTYPE_TASK, false);
    await expect(
      services.db.transaction(async (tx) => {
        await tx.modelVersions.makeActive(SUBTYPE_TASK, next.id);
        expect((await tx.modelVersions.activeModel(SUBTYPE_TASK)).id).toBe(next.id);
        throw new Error("the rest of the change failed");
      }),
    ).rejects.toThrow("the rest of the change failed");
    expect((await models().activeModel(SUBTYPE_TASK)).id).toBe(served.id);
  });
});
