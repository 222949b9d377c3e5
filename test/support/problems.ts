import { expect } from "vitest";

/** Asserts a 503 problem+json of the given type that tells the client when to retry. */
export async function expectRetryLater(response: Response, type = "dependency-unavailable"): Promise<void> {
  const body = (await response.json()) as { type: string };
  expect({ status: response.status, type: body.type }).toEqual({
    status: 503,
    type: `https://leukoflow.dev/problems/${type}`,
  });
  expect(response.headers.get("content-type")).toContain("application/problem+json");
  expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
}
