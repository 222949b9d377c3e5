import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import { createQueue, QUEUE_NAMES } from "@leukoflow/shared";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { callerForKey, requireScope } from "../auth.js";
import { HttpProblem, sendProblem } from "../problem.js";
import type { IngestDeps } from "../server.js";

export const QUEUE_BOARD_PATH = "/admin/queues";

/**
 * Bull Board over every pipeline queue, for holders of an ADMIN API key. A browser cannot send a
 * Bearer header when it navigates, so the board also takes the key as a Basic auth password.
 */
export async function queueBoardRoutes(app: FastifyInstance, deps: IngestDeps): Promise<void> {
  const queues = QUEUE_NAMES.map((name) => createQueue(name, deps.redis, deps.preprocessQueue.opts.prefix!));
  app.addHook("onClose", async () => {
    await Promise.all(queues.map((queue) => queue.close()));
  });
  const serverAdapter = new FastifyAdapter().setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({ queues: queues.map((queue) => new BullMQAdapter(queue)), serverAdapter });
  await app.register(async (board) => {
    // Bull Board sets its own error handler on this scope, so refusals are sent here, not thrown.
    board.addHook("onRequest", async (request, reply) => {
      try {
        const key = boardKey(request);
        if (!key) throw new HttpProblem(401, "unauthenticated", "ADMIN API key required", "Send it as the Basic auth password or as `Authorization: Bearer <key>`");
        requireScope(await callerForKey(deps.prisma, key), "ADMIN");
      } catch (error) {
        if (!(error instanceof HttpProblem)) throw error;
        if (error.status === 401) reply.header("WWW-Authenticate", 'Basic realm="LeukoFlow queues", charset="UTF-8"');
        return sendProblem(reply, error, request.url);
      }
    });
    await board.register(serverAdapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
  });
}

function boardKey(request: FastifyRequest): string | undefined {
  const { authorization } = request.headers;
  if (authorization?.startsWith("Basic ")) {
    const decoded = Buffer.from(authorization.slice("Basic ".length), "base64").toString("utf8");
    return decoded.slice(decoded.indexOf(":") + 1) || undefined;
  }
  if (authorization?.startsWith("Bearer ")) return authorization.slice("Bearer ".length);
  const header = request.headers["x-api-key"];
  return typeof header === "string" ? header : undefined;
}
