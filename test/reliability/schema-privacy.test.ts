import { describe, expect, it } from "vitest";
import { useIsolatedServices } from "../support/isolated-services.js";

/** Words of a column name that would mean it holds who a patient is. */
const IDENTIFYING_WORDS = new Set([
  "name",
  "first",
  "last",
  "given",
  "family",
  "surname",
  "birth",
  "dob",
  "born",
  "address",
  "street",
  "zip",
  "postcode",
  "phone",
  "email",
  "ssn",
  "insurance",
  "mrn",
  "gender",
  "sex",
]);

/** Columns whose names contain such a word but that hold nothing about a patient, and why. */
const ALLOWED: Record<string, string> = {
  "lab.name": "the laboratory's (an organisation's) name",
  "api_key.name": "a label the lab gives its API key",
  "api_key.last_used_at": "a timestamp",
  "model_version.name": "the model's name",
  "image.original_name":
    "the file name the lab's software gave the upload; labs pseudonymise file names as they do patientRef (docs/reliability.md)",
  "direct_upload.file_name": "the same file name, while its upload is pending",
};

/**
 * LeukoFlow knows a specimen's patient only by the lab's pseudonymous patientRef: no table may have
 * a column for a patient's name, birth date, address or other direct identifier.
 */
describe("privacy of the schema", () => {
  const services = useIsolatedServices();

  it("has no column named for a patient's identity, besides the justified ones", async () => {
    const columns = await services.prisma.$queryRaw<{ table_name: string; column_name: string }[]>`
      SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`;
    expect(columns.length).toBeGreaterThan(50);
    const identifying = columns
      .map((column) => `${column.table_name}.${column.column_name}`)
      .filter((qualified) =>
        qualified
          .split(".")[1]!
          .split("_")
          .some((word) => IDENTIFYING_WORDS.has(word.toLowerCase())),
      );
    expect(identifying.filter((qualified) => !(qualified in ALLOWED)).sort()).toEqual([]);
    expect(Object.keys(ALLOWED).filter((qualified) => !identifying.includes(qualified))).toEqual([]);
  });
});
