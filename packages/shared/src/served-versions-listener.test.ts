import { afterAll, describe, expect, it } from "vitest";
import { useIsolatedServices } from "../../../test/support/isolated-services.js";
import { publishTestModel } from "../../../test/support/test-model.js";
import { waitFor } from "../../../test/support/wait-for.js";
import { createLogger } from "./logger.js";
import {
  listenForServedVersionChanges,
  SERVED_VERSIONS_CHANNEL,
  type ServedVersionsListener,
} from "./served-versions-listener.js";

describe("listening for changes of the served model versions", () => {
  const services = useIsolatedServices();
  let listener: ServedVersionsListener | undefined;
  afterAll(() => listener?.close());

  it("hears each committed change of who is active or in shadow, and checks again after losing its connection", async () => {
    let calls = 0;
    const callsAbove = (seen: number) => async () => (calls > seen ? calls : null);
    listener = listenForServedVersionChanges(
      services.env.DATABASE_URL!,
      () => calls++,
      createLogger("listener-test", "silent"),
      { retryMs: 100 },
    );
    // Connected: one call, since whatever changed before is unknown.
    await waitFor("the first call", callsAbove(0));

    const version = await publishTestModel(services.prisma, { active: false });
    await waitFor("the insert's notification", callsAbove(1));
    const afterInsert = calls;
    await services.prisma.$transaction(async (tx) => {
      await tx.modelVersion.update({ where: { id: version.id }, data: { shadowSample: 0.5 } });
      // Nothing is heard before the transaction commits.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(calls).toBe(afterInsert);
    });
    await waitFor("the shadow's notification", callsAbove(afterInsert));

    // Counted before: the listener may reconnect and re-check before the terminating query returns.
    const afterLoss = calls;
    const terminated = await services.prisma.$queryRawUnsafe<{ ended: boolean }[]>(
      `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
       WHERE datname = current_database() AND query = 'LISTEN ${SERVED_VERSIONS_CHANNEL}'`,
    );
    expect(terminated).toEqual([{ ended: true }]);
    await waitFor("the call after reconnecting", callsAbove(afterLoss));
    const reconnected = calls;
    await services.prisma.modelVersion.update({ where: { id: version.id }, data: { active: true } });
    await waitFor("a notification on the new connection", callsAbove(reconnected));
  });
});
