/** The bytes are not a BMP this decoder can read (malformed, truncated or an unsupported variant). */
export class InvalidBmpError extends Error {
  override readonly name = "InvalidBmpError";
}
