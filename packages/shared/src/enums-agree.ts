import type { ImageStatus, ReviewDecision, SpecimenStatus } from "@leukoflow/contracts";
import type * as Database from "./generated/prisma/enums.js";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

/** Compiles only while the API's statuses (@leukoflow/contracts) are exactly the database's enums. */
export type EnumsAgree = Assert<
  [
    Same<SpecimenStatus, Database.SpecimenStatus>,
    Same<ImageStatus, Database.ImageStatus>,
    Same<ReviewDecision, Database.ReviewDecision>,
  ] extends [true, true, true]
    ? true
    : false
>;
