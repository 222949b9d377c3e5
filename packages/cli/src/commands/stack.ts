import type { Command } from "commander";
import { stackDown, stackStatus, stackUp, type ServiceStatus } from "@leukoflow/stack";
import { STATE_DIR } from "../paths.js";
import { formatTable } from "../table.js";

export function registerStackCommand(program: Command): void {
  const stack = program
    .command("stack")
    .description(
      "local services for hosts without Docker: reuses running Redis/Postgres, starts what is missing (embedded PostgreSQL, redis-server, s3rver)",
    );

  stack
    .command("up")
    .description("make Redis, PostgreSQL and S3 answer and record them in .leukoflow/stack.env")
    .action(async () => {
      await stackUp({ stateDir: STATE_DIR });
      await printStatus();
      console.log(`\nenvironment written to ${STATE_DIR}/stack.env`);
    });

  stack
    .command("down")
    .description("stop what `stack up` started (never services it found running)")
    .action(async () => {
      const stopped = await stackDown({ stateDir: STATE_DIR });
      console.log(stopped.length > 0 ? `stopped ${stopped.join(", ")}` : "nothing to stop");
    });

  stack.command("status").description("show where each service is and whether it answers").action(printStatus);
}

async function printStatus(): Promise<void> {
  const services = await stackStatus({ stateDir: STATE_DIR });
  console.log(formatTable(["service", "where", "state", "origin"], services.map(statusRow)));
}

function statusRow(status: ServiceStatus): string[] {
  return [
    status.service,
    status.url,
    status.answering ? "answering" : "not answering",
    status.startedByStack
      ? `started by stack up${status.startedAs ? `: ${status.startedAs}` : ""}`
      : status.answering
        ? "found running"
        : "-",
  ];
}
