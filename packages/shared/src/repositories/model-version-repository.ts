import type { ModelVersion } from "../database.js";
import { Prisma } from "../prisma.js";
import { LeukoflowError } from "../errors.js";
import type { DbClient } from "./database.js";

export class NoActiveModelError extends LeukoflowError {
  constructor(task: string) {
    super(
      "no_active_model",
      `No active model version for ${task}: publish one with \`leukoflow models publish --activate\``,
    );
  }
}

/** A version's registered fields; who is active is decided by `makeActive`, not here. */
export type NewModelVersion = Omit<Prisma.ModelVersionUncheckedCreateInput, "id" | "createdAt" | "active" | "members">;

/** A model version's predictions for one lab, one label and one bin of each binned output. */
export interface PredictionGroup {
  /** name@version */
  model: string;
  /** The lab's slug. */
  lab: string;
  label: string;
  /** The P(malignant) bin of `malignantProbabilityEdges`. */
  mpBin: number;
  /** The OOD-score bin of the version's drift baseline; null without one with OOD bins. */
  oodBin: number | null;
  ood: boolean;
  n: number;
  /** The sum of the group's confidences. */
  confidence: number;
}

export interface EnsembleMemberRow {
  version: ModelVersion;
  weight: number;
}

/** Model versions (single models and ensembles), which one serves each task, and their drift baselines. */
export class ModelVersionRepository {
  constructor(private readonly db: DbClient) {}

  /**
   * The version of `task` both workers serve. A partial unique index (model_version_one_active_per_task)
   * allows one active version per task, so this is the only one.
   */
  async activeModel(task: string): Promise<ModelVersion> {
    const version = await this.findActive(task);
    if (!version) throw new NoActiveModelError(task);
    return version;
  }

  /** The active version of `task` and the one in shadow (null when none) in one read, as the preprocess worker needs them per image. */
  async servedVersions(task: string): Promise<{ active: ModelVersion; shadow: ModelVersion | null }> {
    const versions = await this.db.modelVersion.findMany({
      where: { task, OR: [{ active: true }, { shadowSample: { not: null } }] },
    });
    const active = versions.find((version) => version.active);
    if (!active) throw new NoActiveModelError(task);
    return { active, shadow: versions.find((version) => version.shadowSample !== null) ?? null };
  }

  findActive(task: string): Promise<ModelVersion | null> {
    return this.db.modelVersion.findFirst({ where: { task, active: true } });
  }

  /**
   * The version of `task` in shadow (`leukoflow models shadow`), or null: it scores a sample of live
   * images beside the active one into ShadowPrediction. A partial unique index
   * (model_version_one_shadow_per_task) allows one per task.
   */
  findShadow(task: string): Promise<ModelVersion | null> {
    return this.db.modelVersion.findFirst({ where: { task, shadowSample: { not: null } } });
  }

  /** Puts the version in shadow at `sample` since `startedAt`, or (sample null) ends its shadow, keeping when it began. */
  setShadow(id: string, sample: number | null, startedAt?: Date | null): Promise<ModelVersion> {
    return this.db.modelVersion.update({
      where: { id },
      data: { shadowSample: sample, ...(startedAt === undefined ? {} : { shadowStartedAt: startedAt }) },
    });
  }

  findByRef(name: string, version: string): Promise<ModelVersion | null> {
    return this.db.modelVersion.findUnique({ where: { name_version: { name, version } } });
  }

  /** Every version with its drift baseline, for reading drift windows. */
  listDriftBaselines(): Promise<Pick<ModelVersion, "name" | "version" | "classes" | "driftBaseline">[]> {
    return this.db.modelVersion.findMany({
      select: { name: true, version: true, classes: true, driftBaseline: true },
    });
  }

  /**
   * The predictions made since `since`, grouped per version, lab, label, P(malignant) bin
   * (width_bucket over `malignantProbabilityEdges`), OOD-score bin (over the edges of the version's
   * drift baseline) and OOD flag: one grouped query for a drift window.
   */
  predictionGroupsSince(since: Date, malignantProbabilityEdges: readonly number[]): Promise<PredictionGroup[]> {
    const mpEdges = Prisma.sql`ARRAY[${Prisma.join([...malignantProbabilityEdges])}]::float8[]`;
    return this.db.$queryRaw<PredictionGroup[]>`
      SELECT m.name || '@' || m.version AS model, l.slug AS lab, p.label,
             width_bucket(p.malignant_probability, ${mpEdges}) AS "mpBin",
             CASE WHEN p.ood_score IS NULL OR jsonb_typeof(m.drift_baseline->'oodScore') IS DISTINCT FROM 'object' THEN NULL
                  ELSE width_bucket(p.ood_score, ARRAY(SELECT jsonb_array_elements_text(m.drift_baseline->'oodScore'->'edges')::float8)) END AS "oodBin",
             COALESCE(p.ood_score > 0, false) AS ood,
             count(*)::int AS n, sum(p.confidence)::float8 AS confidence
      FROM prediction p
      JOIN image i ON i.id = p.image_id
      JOIN lab l ON l.id = i.lab_id
      JOIN model_version m ON m.id = p.model_version_id
      WHERE p.created_at >= ${since}
      GROUP BY 1, 2, 3, 4, 5, 6`;
  }

  /** The versions that made a prediction for one of the specimen's images. */
  listBySpecimen(specimenId: string): Promise<Pick<ModelVersion, "id" | "name" | "version" | "artifactSha256">[]> {
    return this.db.modelVersion.findMany({
      where: { predictions: { some: { image: { specimenId } } } },
      select: { id: true, name: true, version: true, artifactSha256: true },
    });
  }

  /** An ensemble's members in their registered order. */
  async ensembleMembers(ensembleId: string): Promise<EnsembleMemberRow[]> {
    const rows = await this.db.ensembleMember.findMany({
      where: { ensembleId },
      orderBy: { position: "asc" },
      include: { member: true },
    });
    return rows.map(({ member, weight }) => ({ version: member, weight }));
  }

  /** Registers a version (inactive); already registered under its name@version, that one is returned unchanged. */
  register(version: NewModelVersion): Promise<ModelVersion> {
    return this.db.modelVersion.upsert({
      where: { name_version: { name: version.name, version: version.version } },
      create: version,
      update: {},
    });
  }

  /** Registers an ensemble (inactive) with its members, weighted, in order. */
  registerEnsemble(version: NewModelVersion, members: EnsembleMemberRow[]): Promise<ModelVersion> {
    return this.db.modelVersion.create({
      data: {
        ...version,
        members: {
          create: members.map(({ version: member, weight }, position) => ({ memberId: member.id, weight, position })),
        },
      },
    });
  }

  /**
   * Makes `id` the active version of `task`, deactivating the one before it first (the partial unique
   * index refuses two). Call it in a transaction so the task is never left without its version.
   */
  async makeActive(task: string, id: string): Promise<ModelVersion> {
    await this.db.modelVersion.updateMany({ where: { task, active: true, id: { not: id } }, data: { active: false } });
    return this.db.modelVersion.update({ where: { id }, data: { active: true } });
  }

  setDriftBaseline(id: string, baseline: Prisma.InputJsonValue): Promise<ModelVersion> {
    return this.db.modelVersion.update({ where: { id }, data: { driftBaseline: baseline } });
  }
}
