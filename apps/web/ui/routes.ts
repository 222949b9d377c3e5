export type Route =
  | { page: "specimens" }
  | { page: "upload" }
  | { page: "review-queue"; disagreesWith?: string }
  | { page: "report"; specimenId: string };

/**
 * Hash routes, so the static server needs no fallback: #/specimens, #/upload, #/review-queue,
 * #/review-queue/{name@version} (the images a version in shadow disagrees on), #/specimens/{id}.
 */
export function parseRoute(hash: string): Route {
  const [, first, second] = hash.replace(/^#/, "").split("/");
  if (first === "upload") return { page: "upload" };
  if (first === "review-queue")
    return second ? { page: "review-queue", disagreesWith: decodeURIComponent(second) } : { page: "review-queue" };
  if (first === "specimens" && second) return { page: "report", specimenId: decodeURIComponent(second) };
  return { page: "specimens" };
}

export function routeHref(route: Route): string {
  if (route.page === "report") return `#/specimens/${encodeURIComponent(route.specimenId)}`;
  if (route.page === "review-queue" && route.disagreesWith)
    return `#/review-queue/${encodeURIComponent(route.disagreesWith)}`;
  return `#/${route.page}`;
}
