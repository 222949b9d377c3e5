/** Whether a URL's host is this machine, i.e. somewhere `stack up` may start a missing service. */
export function isLocalUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "localhost" || host === "[::1]" || host.startsWith("127.");
}
