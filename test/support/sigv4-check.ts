import { createHash, createHmac } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

const sha256Hex = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");
const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();
const encodeRfc3986 = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=[^/]+\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

export interface SignedRequest {
  method: string;
  /** The request target as it came on the wire: path and query, percent-encoded. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Checks a header-signed S3 request as S3 does (AWS's Signature Version 4 documentation, written
 * here independently of the SDK): the canonical request rebuilt from what was received, the payload
 * hash against the body, the signature with `secretAccessKey`. Returns S3's error code, or null
 * when the request is authentic. s3rver itself does not check V4 signatures.
 */
export function sigV4Problem(request: SignedRequest, secretAccessKey: string): string | null {
  const parts = AUTHORIZATION.exec(String(request.headers.authorization ?? ""));
  if (!parts) return "AccessDenied";
  const [, date, region, signedHeaders, signature] = parts as unknown as [string, string, string, string, string];
  const payloadHash = String(request.headers["x-amz-content-sha256"] ?? "");
  if (/^[0-9a-f]{64}$/.test(payloadHash) && payloadHash !== sha256Hex(request.body)) return "XAmzContentSHA256Mismatch";
  if (!/^[0-9a-f]{64}$/.test(payloadHash) && !/^(UNSIGNED-PAYLOAD|STREAMING-)/.test(payloadHash))
    return "InvalidRequest";

  const url = new URL(request.url, "http://host");
  const canonicalUri = url.pathname
    .split("/")
    .map((segment) => encodeRfc3986(decodeURIComponent(segment)))
    .join("/");
  const canonicalQuery = [...url.searchParams]
    .map(([name, value]) => [encodeRfc3986(name), encodeRfc3986(value)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
  const canonicalHeaders = signedHeaders
    .split(";")
    .map(
      (name) =>
        `${name}:${String(request.headers[name] ?? "")
          .trim()
          .replace(/\s+/g, " ")}\n`,
    )
    .join("");
  const canonicalRequest = [
    request.method,
    canonicalUri,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join("\n");
  const scope = `${date}/${region}/s3/aws4_request`;
  const stringToSign = [
    "AWS4-HMAC-SHA256",
    String(request.headers["x-amz-date"]),
    scope,
    sha256Hex(canonicalRequest),
  ].join("\n");
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), "s3"), "aws4_request");
  return createHmac("sha256", signingKey).update(stringToSign).digest("hex") === signature
    ? null
    : "SignatureDoesNotMatch";
}
