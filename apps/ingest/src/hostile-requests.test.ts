import { beforeAll, describe, expect, it } from "vitest";
import { createTestLab, useIngestServer } from "../test/ingest-harness.js";

const LIMIT = 5;

/** What a hostile client can send besides bad files: odd paths, odd bodies, odd cursors, and requests it never finishes. */
describe("hostile requests", () => {
  const harness = useIngestServer({ RATE_LIMIT_PER_KEY: String(LIMIT), RATE_LIMIT_WINDOW_SECONDS: "60" });
  const { services } = harness;
  let labKey: () => Promise<string>;

  beforeAll(() => {
    let labs = 0;
    // A key of its own per test: the rate limit is small here, and counted per key.
    labKey = async () => (await createTestLab(services.prisma, `lab-hostile-${labs++}`, ["READ", "WRITE", "ADMIN"])).key;
  });

  const get = (route: string, key?: string) => fetch(`${harness.baseUrl}${route}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  const problemType = async (response: Response) => {
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    return ((await response.json()) as { type: string }).type.split("/").at(-1);
  };

  it("authenticates on the route it matched: a percent-encoded path needs a key, and counts against that key's limit", async () => {
    for (const route of ["/%761/specimens", "/v%31/specimens", "/%76%31/specimens", "/v1/%73pecimens"]) {
      const anonymous = await get(route);
      expect(anonymous.status, route).toBe(401);
      expect(await problemType(anonymous)).toBe("unauthenticated");
    }
    const key = await labKey();
    const statuses = [];
    for (let i = 0; i <= LIMIT; i++) statuses.push((await get("/%761/specimens", key)).status);
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(200), 429]);
  });

  it("states the rate limit's window, not the time left in it", async () => {
    const key = await labKey();
    for (let i = 0; i < LIMIT; i++) expect((await get("/v1/specimens", key)).status).toBe(200);
    const limited = await get("/v1/specimens", key);
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { detail: string }).detail).toBe(`This API key may make ${LIMIT} requests per 60 seconds`);
  });
});
