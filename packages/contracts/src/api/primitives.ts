import { z } from "zod";

export const Timestamp = z.iso.datetime();
export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, "lowercase hex SHA-256");
