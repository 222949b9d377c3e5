import { Prisma } from "../prisma.js";
import type { DbClient } from "./database.js";

/** A shadow version's score of one image, as a shadow worker writes it. */
export type NewShadowPrediction = Prisma.ShadowPredictionCreateManyInput;

interface Scored {
  label: string;
  confidence: number;
  malignantProbability: number;
}

/** One image both versions scored: the active version's Prediction and the candidate's ShadowPrediction. */
export interface ShadowPair {
  imageId: string;
  specimenId: string;
  accession: string;
  lab: string;
  originalName: string | null;
  active: Scored & { flags: string[]; oodScore: number | null };
  candidate: Scored;
  /** The label of the image's latest review, if any. */
  reviewedLabel: string | null;
}

export interface ShadowPairFilter {
  activeId: string;
  candidateId: string;
  /** Only shadow scores made since. */
  since?: Date;
  labId?: string;
  specimenIds?: readonly string[];
  /** Only images no one has reviewed. */
  unreviewedOnly?: boolean;
  /** Only images the two versions label differently. */
  disagreeingOnly?: boolean;
}

/** How much of a specimen both versions scored. */
export interface SpecimenCoverage {
  specimenId: string;
  completed: boolean;
  classified: number;
  failed: number;
  /** Classified images with a Prediction of the active version and a ShadowPrediction of the candidate. */
  paired: number;
}

interface PairRow {
  imageId: string;
  specimenId: string;
  accession: string;
  lab: string;
  originalName: string | null;
  activeLabel: string;
  activeConfidence: number;
  activeMalignantProbability: number;
  activeFlags: string[] | null;
  activeOodScore: number | null;
  candidateLabel: string;
  candidateConfidence: number;
  candidateMalignantProbability: number;
  reviewedLabel: string | null;
}

/**
 * The scores of versions in shadow (ShadowPrediction): a table apart from Prediction, which no
 * report, export, webhook, specimen call, review queue or drift gauge reads; `models compare` and the
 * review queue's disagreements read it here, beside the active version's Predictions.
 */
export class ShadowPredictionRepository {
  constructor(private readonly db: DbClient) {}

  /** Idempotent: one row per (image, version), a repeat is skipped. */
  async insertMany(rows: NewShadowPrediction[]): Promise<void> {
    if (rows.length > 0) await this.db.shadowPrediction.createMany({ data: rows, skipDuplicates: true });
  }

  /** How many images the version scored in shadow, since a time if given. */
  count(modelVersionId: string, since?: Date | null): Promise<number> {
    return this.db.shadowPrediction.count({
      where: { modelVersionId, ...(since ? { createdAt: { gte: since } } : {}) },
    });
  }

  /** The images the candidate scored in shadow that also have a Prediction of the active version, oldest first. */
  async pairs(filter: ShadowPairFilter): Promise<ShadowPair[]> {
    const conditions = [Prisma.sql`sp.model_version_id = ${filter.candidateId}::uuid`];
    if (filter.since) conditions.push(Prisma.sql`sp.created_at >= ${filter.since}`);
    if (filter.labId) conditions.push(Prisma.sql`i.lab_id = ${filter.labId}::uuid`);
    if (filter.specimenIds) {
      if (filter.specimenIds.length === 0) return [];
      conditions.push(Prisma.sql`i.specimen_id = ANY(${[...filter.specimenIds]}::uuid[])`);
    }
    if (filter.unreviewedOnly) conditions.push(Prisma.sql`r.label IS NULL`);
    if (filter.disagreeingOnly) conditions.push(Prisma.sql`p.label <> sp.label`);
    const rows = await this.db.$queryRaw<PairRow[]>`
      SELECT i.id AS "imageId", i.specimen_id AS "specimenId", s.accession, l.slug AS lab,
             i.original_name AS "originalName",
             p.label AS "activeLabel", p.confidence AS "activeConfidence",
             p.malignant_probability AS "activeMalignantProbability", p.flags AS "activeFlags", p.ood_score AS "activeOodScore",
             sp.label AS "candidateLabel", sp.confidence AS "candidateConfidence",
             sp.malignant_probability AS "candidateMalignantProbability",
             r.label AS "reviewedLabel"
      FROM shadow_prediction sp
      JOIN image i ON i.id = sp.image_id
      JOIN specimen s ON s.id = i.specimen_id
      JOIN lab l ON l.id = i.lab_id
      JOIN prediction p ON p.image_id = sp.image_id AND p.model_version_id = ${filter.activeId}::uuid
      LEFT JOIN LATERAL (SELECT label FROM review WHERE image_id = i.id ORDER BY created_at DESC LIMIT 1) r ON true
      WHERE ${Prisma.join(conditions, " AND ")}
      ORDER BY i.created_at, i.id`;
    return rows.map((row) => ({
      imageId: row.imageId,
      specimenId: row.specimenId,
      accession: row.accession,
      lab: row.lab,
      originalName: row.originalName,
      active: {
        label: row.activeLabel,
        confidence: row.activeConfidence,
        malignantProbability: row.activeMalignantProbability,
        flags: row.activeFlags ?? [],
        oodScore: row.activeOodScore,
      },
      candidate: {
        label: row.candidateLabel,
        confidence: row.candidateConfidence,
        malignantProbability: row.candidateMalignantProbability,
      },
      reviewedLabel: row.reviewedLabel,
    }));
  }

  /** For each specimen, its classified and failed images and how many of them both versions scored. */
  specimenCoverage(filter: {
    activeId: string;
    candidateId: string;
    specimenIds: readonly string[];
  }): Promise<SpecimenCoverage[]> {
    if (filter.specimenIds.length === 0) return Promise.resolve([]);
    return this.db.$queryRaw<SpecimenCoverage[]>`
      SELECT s.id AS "specimenId", s.status = 'COMPLETED' AS completed,
             count(i.id) FILTER (WHERE i.status = 'CLASSIFIED')::int AS classified,
             count(i.id) FILTER (WHERE i.status = 'FAILED')::int AS failed,
             count(i.id) FILTER (WHERE i.status = 'CLASSIFIED'
               AND EXISTS (SELECT 1 FROM prediction p WHERE p.image_id = i.id AND p.model_version_id = ${filter.activeId}::uuid)
               AND EXISTS (SELECT 1 FROM shadow_prediction sp WHERE sp.image_id = i.id AND sp.model_version_id = ${filter.candidateId}::uuid)
             )::int AS paired
      FROM specimen s
      JOIN image i ON i.specimen_id = s.id
      WHERE s.id = ANY(${[...filter.specimenIds]}::uuid[])
      GROUP BY s.id, s.status
      ORDER BY s.id`;
  }
}
