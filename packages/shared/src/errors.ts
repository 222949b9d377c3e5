/** Base class of every error LeukoFlow raises on purpose; `code` is stable and safe to show to clients. */
export class LeukoflowError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The process environment is missing or has an invalid setting. */
export class ConfigError extends LeukoflowError {
  constructor(message: string) {
    super("config_invalid", message);
  }
}

/** The uploaded bytes are not an image we can use; retrying will never help. */
export class InvalidImageError extends LeukoflowError {
  constructor(message: string, options?: ErrorOptions) {
    super("image_invalid", message, options);
  }
}

/** A job payload did not match its schema; retrying will never help. */
export class InvalidJobPayloadError extends LeukoflowError {
  constructor(message: string) {
    super("job_payload_invalid", message);
  }
}

export class NotFoundError extends LeukoflowError {
  constructor(entity: string, id: string) {
    super("not_found", `${entity} ${id} not found`);
  }
}

/** A migration on disk disagrees with what the database recorded, or one failed earlier. */
export class MigrationError extends LeukoflowError {
  constructor(message: string) {
    super("migration_failed", message);
  }
}
