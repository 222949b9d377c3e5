import { describe, expect, it } from "vitest";
import { parseRoute, routeHref, type Route } from "../ui/routes.js";

describe("workstation hash routes", () => {
  it("every page's link parses back to the page, the review queue and a shadow's disagreements included", () => {
    const routes: Route[] = [
      { page: "specimens" },
      { page: "upload" },
      { page: "review-queue" },
      { page: "review-queue", disagreesWith: "aria-cnn-v2@1.0.0-rc/1" },
      { page: "report", specimenId: "a b/c" },
    ];
    for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
    expect(parseRoute("#/nowhere")).toEqual({ page: "specimens" });
  });
});
