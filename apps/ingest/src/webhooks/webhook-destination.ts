import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";

/** Why a webhook URL may not be called: it points inside (loopback, private, metadata…). */
export class WebhookDestinationRefused extends Error {
  override readonly name = "WebhookDestinationRefused";
}

/**
 * Addresses no webhook may reach: unspecified, loopback, private, carrier-grade NAT, link-local
 * (cloud metadata at 169.254.169.254), benchmarking, multicast and reserved, and their IPv6
 * counterparts. IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) are checked against the IPv4 rules.
 */
const INTERNAL_ADDRESSES = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 3],
] as const) {
  INTERNAL_ADDRESSES.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 127],
  ["64:ff9b::", 96],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
] as const) {
  INTERNAL_ADDRESSES.addSubnet(network, prefix, "ipv6");
}

/** Names that only mean something inside a host or a cluster: one label (`redis`), localhost, *.internal, *.local. */
const INTERNAL_NAME = /^(?:[^.]+|(?:.+\.)?localhost|.+\.internal|.+\.local)$/;

/** A URL's host as compared: lowercase, no brackets around IPv6, no trailing dot. */
function bareHost(hostname: string): string {
  return hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "");
}

/** The hosts an operator allows although they are internal, in the form URLs normalize them to (so `127.1` is `127.0.0.1`). */
export function allowedWebhookHosts(hosts: readonly string[]): ReadonlySet<string> {
  return new Set(hosts.map((host) => bareHost(new URL(`http://${host}/`).hostname)));
}

function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  return family !== 0 && INTERNAL_ADDRESSES.check(address, family === 6 ? "ipv6" : "ipv4");
}

/** Why the URL may not be called, judged from the URL alone (addresses written in any form, internal names); null when it may. */
export function refusedWebhookUrl(url: URL, allowedHosts: ReadonlySet<string>): string | null {
  if (url.protocol !== "http:" && url.protocol !== "https:") return `${url.protocol} is not http or https`;
  const host = bareHost(url.hostname);
  if (allowedHosts.has(host)) return null;
  if (isIP(host)) return isInternalAddress(host) ? `${host} is an internal address` : null;
  return INTERNAL_NAME.test(host) ? `${host} is an internal name` : null;
}

/**
 * A `lookup` for http.request that resolves the host once, refuses it when any of its addresses is
 * internal (unless the host is allowed), and connects to the address it checked: a second
 * resolution cannot send the connection elsewhere.
 */
export function pinnedWebhookLookup(allowedHosts: ReadonlySet<string>): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      const internal = addresses.find((entry) => isInternalAddress(entry.address));
      if (internal && !allowedHosts.has(bareHost(hostname))) {
        return callback(
          new WebhookDestinationRefused(
            `webhook host ${hostname} resolves to ${internal.address}, an internal address`,
          ),
          "",
          0,
        );
      }
      const [first] = addresses;
      if (!first)
        return callback(new WebhookDestinationRefused(`webhook host ${hostname} resolves to no address`), "", 0);
      // Sockets that try address families in turn ask for every address; they get only the checked one.
      if ((options as { all?: boolean }).all)
        return (callback as (error: null, addresses: LookupAddress[]) => void)(null, [first]);
      callback(null, first.address, first.family);
    });
  };
}
