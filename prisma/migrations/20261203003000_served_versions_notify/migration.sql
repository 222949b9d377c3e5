-- Workers learn at once that a task's active or shadow version changed: every statement that
-- inserts or deletes a model version, or sets its active flag or shadow sample, notifies the
-- channel leukoflow_served_versions when its transaction commits (packages/shared's
-- listenForServedVersionChanges). The workers' periodic re-read stays as the fallback.
CREATE FUNCTION "notify_served_versions"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('leukoflow_served_versions', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER "model_version_served_versions_changed"
AFTER INSERT OR DELETE OR UPDATE OF "active", "shadow_sample" ON "model_version"
FOR EACH STATEMENT EXECUTE FUNCTION "notify_served_versions"();
