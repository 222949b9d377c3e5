import { z } from "zod";
import { problems } from "../problem.js";

const UUID = z.uuid();

/** Position after the last specimen of a page, in the list's order (newest first, then by id). */
export interface SpecimenCursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(last: SpecimenCursor): string {
  return Buffer.from(`${last.createdAt.toISOString()}|${last.id}`).toString("base64url");
}

export function decodeCursor(cursor: string): SpecimenCursor {
  const [createdAt, id] = Buffer.from(cursor, "base64url").toString().split("|");
  const date = new Date(createdAt ?? "");
  if (!id || !UUID.safeParse(id).success || Number.isNaN(date.getTime()))
    throw problems.invalidRequest([{ path: "querystring.cursor", message: "not a cursor from this API" }]);
  return { createdAt: date, id };
}
