import { hashApiKey } from "@leukoflow/shared";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useIsolatedServices } from "../../../../test/support/isolated-services.js";
import { runCommands } from "../test-support/run-commands.js";
import { registerLabsCommand } from "./labs.js";

const run = (args: string[]): Promise<string> => runCommands([registerLabsCommand], args);

describe("leukoflow labs", () => {
  const services = useIsolatedServices();
  beforeEach(() => {
    for (const [name, value] of Object.entries(services.env)) vi.stubEnv(name, value);
  });
  afterEach(() => vi.unstubAllEnvs());

  it("creates a lab with a key that is stored only as a hash", async () => {
    const printed = await run(["labs", "create", "north-lab", "--name", "North"]);
    const key = /api key \(shown once\): (\S+)/.exec(printed)?.[1];
    const lab = await services.prisma.lab.findUniqueOrThrow({
      where: { slug: "north-lab" },
      include: { apiKeys: true },
    });
    expect(lab.name).toBe("North");
    expect(lab.apiKeys).toHaveLength(1);
    expect(key).toBeDefined();
    expect(key).toContain(lab.apiKeys[0]!.prefix);
    expect(lab.apiKeys[0]!.secretHash).toBe(hashApiKey(key!));
    expect(JSON.stringify(lab.apiKeys[0])).not.toContain(key!);
    // Recorded as the admin API records a key: one event on the key itself.
    const created = await services.prisma.auditEvent.findMany({ where: { action: "api_key.created" } });
    expect(created).toMatchObject([
      {
        labId: lab.id,
        actor: "cli",
        entityType: "api_key",
        entityId: lab.apiKeys[0]!.id,
        details: { name: "cli", prefix: lab.apiKeys[0]!.prefix, scopes: ["READ", "WRITE"] },
      },
    ]);
  });

  it("switches a lab's review images between on-request and eager, recording each change", async () => {
    await run(["labs", "create", "east-lab"]);
    const eager = async () =>
      (await services.prisma.lab.findUniqueOrThrow({ where: { slug: "east-lab" } })).eagerReviewImages;
    expect(await eager()).toBe(false);

    expect(await run(["labs", "review-images", "east-lab", "eager"])).toContain("review images eager");
    expect(await eager()).toBe(true);
    await run(["labs", "review-images", "east-lab", "on-request"]);
    expect(await eager()).toBe(false);

    const changes = await services.prisma.auditEvent.findMany({
      where: { action: "lab.review_images" },
      orderBy: { id: "asc" },
    });
    expect(changes.map((event) => event.details)).toEqual([{ when: "eager" }, { when: "on-request" }]);
  });

  it("refuses a setting it does not know, leaving the lab as it was", async () => {
    await run(["labs", "create", "west-lab"]);
    await expect(run(["labs", "review-images", "west-lab", "sometimes"])).rejects.toThrow(/on-request.*eager/);
    expect((await services.prisma.lab.findUniqueOrThrow({ where: { slug: "west-lab" } })).eagerReviewImages).toBe(
      false,
    );
  });
});
