import type { Specimen as SpecimenRow } from "@leukoflow/shared";
import type { Specimen } from "@leukoflow/contracts";

/** A specimen as the API shows it: no internal columns, timestamps as ISO strings. */
export function toSpecimenDto(row: SpecimenRow): Specimen {
  return {
    id: row.id,
    accession: row.accession,
    patientRef: row.patientRef,
    status: row.status,
    summary: row.summary as Specimen["summary"],
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
  };
}
