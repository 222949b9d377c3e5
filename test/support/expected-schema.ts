import { createRequire } from "node:module";

/**
 * What schema.prisma says the database must contain, as sorted lines that read like DDL. Derived
 * from Prisma's own DMMF (its schema parser compiled to wasm, no engine download).
 */
interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "object" | "enum" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  hasDefaultValue: boolean;
  default?: { name: string } | unknown;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  fields: { name: string }[];
}
interface Dmmf {
  datamodel: { models: DmmfModel[]; enums: { name: string; values: { name: string }[] }[]; indexes: DmmfIndex[] };
}

const SCALAR_COLUMN_TYPES: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Boolean: "boolean",
  DateTime: "timestamp(3)",
  Json: "jsonb",
};
const NATIVE_COLUMN_TYPES: Record<string, (args: string[]) => string> = {
  Uuid: () => "uuid",
  Char: (args) => `character(${args[0]})`,
  Timestamptz: (args) => `timestamptz(${args[0] ?? 6})`,
};
/** Defaults Prisma fills in on the client; they leave no DEFAULT in the database. */
const CLIENT_SIDE_DEFAULTS = new Set(["uuid", "cuid", "nanoid", "ulid"]);

export function loadDmmf(schemaText: string): Dmmf {
  const require = createRequire(import.meta.url);
  const wasm = require("@prisma/prisma-schema-wasm") as { get_dmmf(params: string): string };
  return JSON.parse(wasm.get_dmmf(JSON.stringify({ prismaSchema: [["schema.prisma", schemaText]] }))) as Dmmf;
}

export function expectedSchemaLines(dmmf: Dmmf): string[] {
  const { models, enums, indexes } = dmmf.datamodel;
  const tableOf = new Map(models.map((model) => [model.name, model.dbName ?? model.name]));
  const columnOf = (model: string, field: string): string => {
    const found = models.find((m) => m.name === model)?.fields.find((f) => f.name === field);
    return found?.dbName ?? field;
  };
  const lines: string[] = [];
  for (const anEnum of enums) lines.push(`enum ${anEnum.name} (${anEnum.values.map((v) => v.name).join(", ")})`);
  for (const model of models) {
    const table = tableOf.get(model.name)!;
    for (const field of model.fields) {
      if (field.kind === "object") {
        if (field.relationFromFields?.length) {
          const from = field.relationFromFields.map((f) => columnOf(model.name, f)).join(", ");
          const to = (field.relationToFields ?? []).map((f) => columnOf(field.type, f)).join(", ");
          const onDelete = (field.relationOnDelete ?? (field.isRequired ? "Restrict" : "SetNull")).replace(
            /([a-z])([A-Z])/g,
            "$1 $2",
          );
          lines.push(`fk ${table}(${from}) -> ${tableOf.get(field.type)}(${to}) on delete ${onDelete.toLowerCase()}`);
        }
        continue;
      }
      const baseType =
        field.kind === "enum"
          ? field.type
          : field.nativeType
            ? NATIVE_COLUMN_TYPES[field.nativeType[0]]!(field.nativeType[1])
            : SCALAR_COLUMN_TYPES[field.type]!;
      const type = field.isList ? `${baseType}[]` : baseType;
      const nullable = field.isList || !field.isRequired ? "null" : "not null";
      const defaultName = (field.default as { name?: string } | undefined)?.name;
      const hasDbDefault = field.hasDefaultValue && !(defaultName && CLIENT_SIDE_DEFAULTS.has(defaultName));
      lines.push(`column ${table}.${field.dbName ?? field.name} ${type} ${nullable}${hasDbDefault ? " default" : ""}`);
    }
  }
  for (const index of indexes) {
    const kind = index.type === "normal" ? "index" : index.type === "id" ? "primary key" : "unique";
    const columns = index.fields.map((f) => columnOf(index.model, f.name)).join(", ");
    lines.push(`${kind} ${tableOf.get(index.model)}(${columns})`);
  }
  return lines.sort();
}
