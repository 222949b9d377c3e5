import type { FastifyReply } from "fastify";

/** An HTTP error answered as RFC 9457 problem+json; `type` is stable for clients to switch on. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail?: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
  }
}

export const PROBLEM_BASE = "https://leukoflow.dev/problems/";

export function sendProblem(reply: FastifyReply, problem: HttpProblem, instance: string): FastifyReply {
  return reply
    .status(problem.status)
    .type("application/problem+json")
    .send({
      type: `${PROBLEM_BASE}${problem.type}`,
      title: problem.title,
      status: problem.status,
      ...(problem.detail ? { detail: problem.detail } : {}),
      instance,
      ...problem.extensions,
    });
}

/** The problems several routes answer with, so each keeps one `type`. */
export const problems = {
  notFound: (entity: string) => new HttpProblem(404, "not-found", `${entity} not found`),
  invalidRequest: (errors: { path: string; message: string }[]) =>
    new HttpProblem(400, "invalid-request", "Invalid request", undefined, { errors }),
  sizeMismatch: (declared: number, stored: number) =>
    new HttpProblem(
      422,
      "upload-size-mismatch",
      "Stored object differs from the declared file",
      `Declared ${declared} bytes, stored ${stored}`,
    ),
  fileTooLarge: (fileName: string) =>
    new HttpProblem(413, "file-too-large", "File too large", `${fileName} exceeds the upload size limit`),
};
