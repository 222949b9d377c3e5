import type { z } from "zod";
import { HttpProblem } from "./problem.js";

export function parseOrProblem<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new HttpProblem(400, "invalid-request", "Invalid request", undefined, {
    errors: result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
  });
}
