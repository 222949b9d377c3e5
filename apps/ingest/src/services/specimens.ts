import type { CreateSpecimenBody, ListSpecimensQuery, Specimen, SpecimenPage } from "@leukoflow/contracts";
import type { z } from "zod";
import { isUniqueViolation, type Database } from "@leukoflow/shared";
import { HttpProblem } from "../problem.js";
import { requestFingerprint, runIdempotently } from "./idempotency.js";
import { decodeCursor, encodeCursor } from "./specimen-cursor.js";
import { toSpecimenDto } from "./specimen-dto.js";

type NewSpecimen = z.infer<typeof CreateSpecimenBody>;

/** Registering and listing a lab's specimens. */
export class Specimens {
  constructor(private readonly db: Database) {}

  /**
   * Registers a specimen (409 when its accession is the lab's already); with an Idempotency-Key,
   * a repeat of the same request gets the first response back (`replayed`).
   */
  async register(
    labId: string,
    body: NewSpecimen,
    idempotencyKey: string | undefined,
  ): Promise<{ specimen: Specimen; replayed: boolean }> {
    const create = async (db: Database) => ({ statusCode: 201, body: await this.create(db, labId, body) });
    if (!idempotencyKey) return { specimen: (await create(this.db)).body, replayed: false };
    const fingerprint = requestFingerprint("POST", "/v1/specimens", body);
    const result = await runIdempotently(this.db, { labId, key: idempotencyKey, fingerprint }, create);
    return { specimen: result.body as Specimen, replayed: result.replayed };
  }

  /** The lab's specimens, newest first, a page at a time. */
  async list(labId: string, query: z.infer<typeof ListSpecimensQuery>): Promise<SpecimenPage> {
    const { status, accession, limit, cursor } = query;
    const after = cursor ? decodeCursor(cursor) : undefined;
    const specimens = await this.db.specimens.listInLab(labId, { status, accession, after }, limit + 1);
    const page = specimens.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(toSpecimenDto),
      nextCursor: specimens.length > limit && last ? encodeCursor(last) : null,
    };
  }

  private async create(db: Database, labId: string, body: NewSpecimen): Promise<Specimen> {
    try {
      return toSpecimenDto(await db.specimens.create({ labId, ...body }));
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new HttpProblem(
          409,
          "specimen-exists",
          "Specimen already exists",
          `Accession ${body.accession} is already registered`,
        );
      }
      throw error;
    }
  }
}
