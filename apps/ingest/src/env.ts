import path from "node:path";
import { CommonEnv, parseEnv } from "@leukoflow/shared";
import { z } from "zod";

export const IngestEnv = CommonEnv.extend({
  HOST: z.string().default("0.0.0.0"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** The operator's server (metrics, health, queue administration): keep it inside the cluster. */
  /** A connection idle this long (a body that stopped arriving, say) is closed. */
  CONNECTION_TIMEOUT_MS: z.coerce.number().int().positive().default(120_000),
  /** Time to receive a whole request, uploads included, and its headers; the server answers 408 past them. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(600_000),
  HEADERS_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  OPERATOR_HOST: z.string().default("0.0.0.0"),
  OPERATOR_PORT: z.coerce.number().int().min(0).max(65535).default(9462),
  /** The operator's credential for Bull Board at /admin/queues on the operator port; unset, the board is not served. */
  OPERATOR_TOKEN: z
    .string()
    .optional()
    .transform((token) => token || undefined)
    .pipe(z.string().min(32).optional()),
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(50 * 1024 * 1024),
  MAX_FILES_PER_REQUEST: z.coerce.number().int().positive().default(500),
  /** Width × height above which an upload is refused from its header, before it is decoded anywhere. */
  MAX_IMAGE_PIXELS: z.coerce.number().int().positive().default(100_000_000),
  /** Uploads get 503 once the preprocess queue holds this many jobs not yet started. */
  MAX_PREPROCESS_BACKLOG: z.coerce.number().int().positive().default(20_000),
  BACKLOG_RETRY_AFTER_SECONDS: z.coerce.number().int().positive().default(30),
  DIRECT_UPLOAD_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 24 * 3600)
    .default(3600),
  /** How long a create sent with an Idempotency-Key can be replayed. */
  IDEMPOTENCY_KEY_TTL_HOURS: z.coerce.number().int().positive().default(24),
  /** The review workstation's built files (apps/web/dist/app), served at /app/; unset, /app/ is not served. */
  WEB_APP_DIR: z
    .string()
    .transform((dir) => path.resolve(dir))
    .optional(),
  /** How often the webhook dispatcher looks for completed specimens. */
  PROGRESS_POLL_MS: z.coerce.number().int().min(50).default(1_000),
  /** Requests one API key may make per window, counted in Redis across replicas; 0 turns it off. */
  RATE_LIMIT_PER_KEY: z.coerce.number().int().min(0).default(1_200),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().default(60),
  /** How often images left in flight without a job (Redis lost it) are looked for; see StrandedImageReconciler. */
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
  /** An image is looked at once its row has not changed for this long. */
  RECONCILE_MIN_AGE_MS: z.coerce.number().int().min(0).default(120_000),
  /** How often upload objects that no image owns are looked for; see UnownedUploadSweeper. */
  UNOWNED_UPLOAD_SWEEP_INTERVAL_MINUTES: z.coerce.number().int().positive().default(360),
  /** An upload object is looked at once it is this old: far longer than any upload request takes. */
  UNOWNED_UPLOAD_MIN_AGE_HOURS: z.coerce.number().int().min(1).default(24),
  WEBHOOK_CONCURRENCY: z.coerce.number().int().positive().default(4),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Comma-separated internal hosts webhooks may reach (a lab's receiver inside the cluster); every other internal destination is refused. */
  WEBHOOK_ALLOWED_HOSTS: z
    .string()
    .default("")
    .transform((list) =>
      list
        .split(",")
        .map((host) => host.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().refine((host) => URL.canParse(`http://${host}/`), "not a host name or address"))),
});
export type IngestEnv = z.infer<typeof IngestEnv>;

export function loadIngestEnv(source: NodeJS.ProcessEnv = process.env): IngestEnv {
  return parseEnv(IngestEnv, source);
}
