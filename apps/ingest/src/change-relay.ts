import type { SpecimenChange } from "@leukoflow/contracts";
import type { SpecimenChangeListener } from "@leukoflow/shared";
import type { FastifyReply } from "fastify";
import { EventStream } from "./event-stream.js";

export interface ChangeRelay<T> {
  /** Subscribes the listener; resolves once subscribed. */
  follow(listener: SpecimenChangeListener): Promise<() => void>;
  /** Read after subscribing, so no change falls between the two; may throw (a 404) before the stream opens. */
  snapshot(): Promise<T>;
  /** Sends the snapshot on the newly opened stream. */
  open(stream: EventStream, snapshot: T): void;
  /** Sends what a change (null: changes may have been missed) means for this stream. */
  relay(stream: EventStream, change: SpecimenChange | null): Promise<void>;
}

/**
 * Answers with an event stream fed by Redis messages, not by polling: subscribe, read a snapshot,
 * send it, then relay each change in order (those that came while the snapshot was read too). Runs
 * until either side ends the stream; `streams` holds it meanwhile, so a closing server can end it.
 */
export async function relayChanges<T>(
  reply: FastifyReply,
  streams: Set<EventStream>,
  relay: ChangeRelay<T>,
): Promise<void> {
  let stream: EventStream | undefined;
  let release!: () => void;
  let queue = new Promise<void>((resolve) => (release = resolve));
  const unfollow = await relay.follow((change) => {
    queue = queue
      .then(() => (stream?.open ? relay.relay(stream, change) : undefined))
      .catch((error: unknown) => {
        reply.log.error({ err: error }, "event stream failed");
        stream?.end();
      });
  });
  try {
    const snapshot = await relay.snapshot();
    reply.hijack();
    stream = new EventStream(reply.raw);
    streams.add(stream);
    relay.open(stream, snapshot);
    release();
    await stream.ended;
  } finally {
    release();
    unfollow();
    if (stream) streams.delete(stream);
  }
}
