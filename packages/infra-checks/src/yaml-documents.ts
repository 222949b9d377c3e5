import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

/** Every document of a YAML file as plain data; a syntax error anywhere throws. */
export function readYamlDocuments(file: string): unknown[] {
  // merge: compose's `<<: *anchor` (YAML 1.1 merge keys), which Docker Compose reads.
  return parseAllDocuments(readFileSync(file, "utf8"), { merge: true }).map((document) => {
    if (document.errors.length > 0)
      throw new Error(`${file}: ${document.errors.map((error) => error.message).join("; ")}`);
    return document.toJS();
  });
}
