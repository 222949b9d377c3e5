import { SpecimenChange, specimenChangesChannel, specimenChangesPattern, type ImageStatus } from "@leukoflow/contracts";
import type { Redis } from "ioredis";
import type { Logger } from "../logger.js";

/** Publishes a specimen's committed changes on its Redis channel, for ingest to relay to its event streams. */
export class SpecimenChangePublisher {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  /**
   * Call once the change is committed. Never throws: the change is in the database already, and a
   * stream that misses the message catches up from its next one (each carries a fresh read) or from
   * the snapshot it starts with when its client reconnects.
   */
  async publish(change: SpecimenChange): Promise<void> {
    try {
      await this.redis.publish(
        specimenChangesChannel(this.prefix, change.labId, change.specimenId),
        JSON.stringify(change),
      );
    } catch (error) {
      this.logger.warn({ err: error, specimenId: change.specimenId }, "specimen change not published");
    }
  }

  /** Publishes one message per specimen for images that reached `status` together (a batch, say). */
  async publishImages(
    images: readonly { labId: string; specimenId: string; imageId: string }[],
    status: ImageStatus,
  ): Promise<void> {
    const bySpecimen = new Map<string, SpecimenChange>();
    for (const { labId, specimenId, imageId } of images) {
      const change = bySpecimen.get(specimenId) ?? { labId, specimenId, images: [] };
      change.images.push({ id: imageId, status });
      bySpecimen.set(specimenId, change);
    }
    await Promise.all([...bySpecimen.values()].map((change) => this.publish(change)));
  }
}

/** Called with each change, or with null when messages may have been missed (the subscriber reconnected). */
export type SpecimenChangeListener = (change: SpecimenChange | null) => void;

interface Subscription {
  listeners: Set<SpecimenChangeListener>;
  subscribed: Promise<unknown>;
}

/**
 * One Redis subscriber connection per process, fanning each specimen's changes out to the event
 * streams that follow it (a specimen's channel) or its whole lab (a pattern). A channel is subscribed
 * while at least one stream follows it.
 */
export class SpecimenChangeSubscriber {
  private readonly channels = new Map<string, Subscription>();
  private readonly patterns = new Map<string, Subscription>();

  /** `redis` must be this subscriber's own connection: a subscribed connection can run nothing else. */
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    redis.on("message", (channel: string, message: string) => this.dispatch(this.channels.get(channel), message));
    redis.on("pmessage", (pattern: string, _channel: string, message: string) =>
      this.dispatch(this.patterns.get(pattern), message),
    );
    // ioredis resubscribes after a reconnection; what was published while it was away is lost, so every stream re-reads.
    let connectedBefore = false;
    redis.on("ready", () => {
      if (connectedBefore) for (const subscription of this.all()) subscription.listeners.forEach((l) => l(null));
      connectedBefore = true;
    });
  }

  /** Resolves once subscribed, so a snapshot read afterwards misses nothing; call the returned function to stop. */
  followSpecimen(labId: string, specimenId: string, listener: SpecimenChangeListener): Promise<() => void> {
    return this.follow(this.channels, specimenChangesChannel(this.prefix, labId, specimenId), false, listener);
  }

  followLab(labId: string, listener: SpecimenChangeListener): Promise<() => void> {
    return this.follow(this.patterns, specimenChangesPattern(this.prefix, labId), true, listener);
  }

  close(): void {
    this.channels.clear();
    this.patterns.clear();
    this.redis.disconnect();
  }

  private async follow(
    subscriptions: Map<string, Subscription>,
    key: string,
    pattern: boolean,
    listener: SpecimenChangeListener,
  ): Promise<() => void> {
    let subscription = subscriptions.get(key);
    if (!subscription) {
      const subscribed = pattern ? this.redis.psubscribe(key) : this.redis.subscribe(key);
      subscription = { listeners: new Set(), subscribed };
      subscriptions.set(key, subscription);
      subscribed.catch(() => subscriptions.get(key) === subscription && subscriptions.delete(key));
    }
    const current = subscription;
    await current.subscribed;
    current.listeners.add(listener);
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size > 0 || subscriptions.get(key) !== current) return;
      subscriptions.delete(key);
      (pattern ? this.redis.punsubscribe(key) : this.redis.unsubscribe(key)).catch(() => undefined);
    };
  }

  private *all(): Iterable<Subscription> {
    yield* this.channels.values();
    yield* this.patterns.values();
  }

  private dispatch(subscription: Subscription | undefined, message: string): void {
    const change = SpecimenChange.safeParse(JSON.parse(message));
    if (subscription && change.success) for (const listener of subscription.listeners) listener(change.data);
  }
}
