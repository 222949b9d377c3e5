import { createPrismaClient, Prisma, type PrismaClient } from "../prisma.js";
import { ImageRepository } from "./image-repository.js";
import { LabRepository } from "./lab-repository.js";
import { ModelVersionRepository } from "./model-version-repository.js";
import { ShadowPredictionRepository } from "./shadow-prediction-repository.js";
import { SpecimenRepository } from "./specimen-repository.js";

/** A client, or the client of the transaction a unit of work runs in. */
export type DbClient = PrismaClient | Prisma.TransactionClient;

/**
 * The database as the rest of the code sees it: one repository per aggregate, and `transaction`,
 * the unit of work. Inside `transaction` the callback gets a Database whose repositories all run
 * in that one transaction, so a change spanning aggregates commits or rolls back as a whole.
 */
export class Database {
  readonly labs: LabRepository;
  readonly modelVersions: ModelVersionRepository;
  readonly specimens: SpecimenRepository;
  readonly images: ImageRepository;
  readonly shadowPredictions: ShadowPredictionRepository;

  constructor(private readonly client: DbClient) {
    this.labs = new LabRepository(client);
    this.modelVersions = new ModelVersionRepository(client);
    this.specimens = new SpecimenRepository(client);
    this.images = new ImageRepository(client);
    this.shadowPredictions = new ShadowPredictionRepository(client);
  }

  /** Runs `work` in one transaction; already inside one, it joins it. */
  async transaction<T>(work: (tx: Database) => Promise<T>): Promise<T> {
    if (!("$transaction" in this.client)) return work(this);
    return this.client.$transaction((tx) => work(new Database(tx)));
  }

  /** Resolves once the database answers a query. */
  async ping(): Promise<void> {
    await this.client.$queryRaw`SELECT 1`;
  }

  /** Closes the pool (a transaction's Database has none of its own). */
  async disconnect(): Promise<void> {
    if ("$disconnect" in this.client) await this.client.$disconnect();
  }
}

/** A Database over a new pool of `poolSize` connections to `databaseUrl`. */
export function createDatabase(databaseUrl: string, poolSize: number): Database {
  return new Database(createPrismaClient(databaseUrl, poolSize));
}

/** True when a write was refused because a row with the same unique key exists (a concurrent insert, say). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
