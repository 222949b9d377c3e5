import path from "node:path";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "@leukoflow/shared";
import { adminQuery } from "./support/admin-query.js";
import { resolveServices } from "./support/resolve-services.js";

const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../prisma/migrations");

/** Resolves the services once, migrates a template database each test file clones. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const services = await resolveServices();
  const templateDatabase = `leukoflow_template_${process.pid}`;
  await recreateDatabase(services.postgresServerUrl, templateDatabase);
  await applyMigrations(databaseUrl(services.postgresServerUrl, templateDatabase), MIGRATIONS_DIR);
  const { stop, ...urls } = services;
  project.provide("services", { ...urls, templateDatabase });
  return async () => {
    await dropDatabase(services.postgresServerUrl, templateDatabase);
    await stop();
  };
}

export function databaseUrl(serverUrl: string, database: string): string {
  return new URL(database, serverUrl).toString();
}

async function recreateDatabase(serverUrl: string, name: string): Promise<void> {
  await adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await adminQuery(serverUrl, `CREATE DATABASE "${name}"`);
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}
