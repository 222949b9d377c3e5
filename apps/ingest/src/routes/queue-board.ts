import { createHash, timingSafeEqual } from "node:crypto";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import { createQueue } from "@leukoflow/shared";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { HttpProblem, sendProblem } from "../problem.js";
import type { IngestDeps } from "../server.js";
import { QUEUE_NAMES } from "@leukoflow/contracts";

export const QUEUE_BOARD_PATH = "/admin/queues";

/**
 * Bull Board over every pipeline queue, on the operator server, for the operator credential
 * (OPERATOR_TOKEN) only: the queues are shared by every lab, so no lab key reaches it. A browser
 * cannot send a Bearer header when it navigates, so the board also takes the token as a Basic auth
 * password.
 */
export async function queueBoardRoutes(
  operator: FastifyInstance,
  deps: IngestDeps,
  operatorToken: string,
): Promise<void> {
  const queues = QUEUE_NAMES.map((name) => createQueue(name, deps.redis, deps.preprocessQueue.opts.prefix!));
  operator.addHook("onClose", async () => {
    await Promise.all(queues.map((queue) => queue.close()));
  });
  const serverAdapter = new FastifyAdapter().setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({ queues: queues.map((queue) => new BullMQAdapter(queue)), serverAdapter });
  const expected = digest(operatorToken);
  await operator.register(async (board) => {
    // Bull Board sets its own error handler on this scope, so refusals are sent here, not thrown.
    board.addHook("onRequest", async (request, reply) => {
      const presented = presentedCredential(request);
      if (presented && timingSafeEqual(digest(presented), expected)) return;
      if (!presented) reply.header("WWW-Authenticate", 'Basic realm="LeukoFlow queues", charset="UTF-8"');
      const problem = presented
        ? new HttpProblem(
            403,
            "forbidden",
            "Not the operator credential",
            "Queue administration takes OPERATOR_TOKEN, not a lab API key",
          )
        : new HttpProblem(
            401,
            "unauthenticated",
            "Operator credential required",
            "Send OPERATOR_TOKEN as the Basic auth password or as `Authorization: Bearer <token>`",
          );
      return sendProblem(reply, problem, request.url);
    });
    await board.register(serverAdapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
  });
}

/** Compared as digests, so the comparison takes the same time whatever the length presented. */
const digest = (secret: string) => createHash("sha256").update(secret).digest();

function presentedCredential(request: FastifyRequest): string | undefined {
  const { authorization } = request.headers;
  if (authorization?.startsWith("Basic ")) {
    const decoded = Buffer.from(authorization.slice("Basic ".length), "base64").toString("utf8");
    return decoded.slice(decoded.indexOf(":") + 1) || undefined;
  }
  return authorization?.startsWith("Bearer ") ? authorization.slice("Bearer ".length) : undefined;
}
