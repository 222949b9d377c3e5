import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishModel, startShadow } from "@leukoflow/model-registry";
import { ariaImages } from "../../../../test/support/datasets.js";
import { useIsolatedServices } from "../../../../test/support/isolated-services.js";
import { createTestLab } from "../../../../test/support/labs.js";
import { launchChromium } from "./chromium.js";
import { SHIPPED_MODEL_DIR } from "../../../../test/support/pipeline.js";
import { startPipeline, type RunningPipeline } from "./pipeline.js";
import { screenshot } from "./screenshots.js";

const ACCESSION = "WEB-E2E-1";
const PICKED = ariaImages("benign", 2, 400);
const IN_FOLDER = ariaImages("pro_b", 1, 650);
const DROPPED = ariaImages("pro_b", 1, 651)[0]!;
const IMAGE_COUNT = PICKED.length + IN_FOLDER.length + 1;

/** A folder as a lab would pick it, made in the system's temp dir (never inside the project). */
function smearFolder(): string {
  const folder = path.join(mkdtempSync(path.join(tmpdir(), "lf-web-")), "smear-7");
  mkdirSync(folder);
  for (const file of IN_FOLDER) copyFileSync(file, path.join(folder, path.basename(file)));
  return folder;
}

/** Drops files on an element the way a browser does, through a DataTransfer built in the page. */
async function dropFiles(page: Page, selector: string, files: { name: string; type: string; bytes: Buffer }[]) {
  const transfer = await page.evaluateHandle(
    (encoded) => {
      const dataTransfer = new DataTransfer();
      for (const { name, type, base64 } of encoded) {
        dataTransfer.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name, { type }));
      }
      return dataTransfer;
    },
    files.map(({ name, type, bytes }) => ({ name, type, base64: bytes.toString("base64") })),
  );
  await page.dispatchEvent(selector, "drop", { dataTransfer: transfer });
}

async function signIn(page: Page, key: string): Promise<void> {
  await page.getByLabel("Lab API key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function download(page: Page, button: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: button }).click()]);
  return readFileSync(await file.path(), "utf8");
}

async function pageWidthOverflows(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

describe("review workstation in Chromium: sign in, upload, watch, review, export", () => {
  const services = useIsolatedServices();
  let pipeline: RunningPipeline;
  let browser: Browser;
  let key: string;
  let labId: string;

  beforeAll(async () => {
    pipeline = await startPipeline(services);
    browser = await launchChromium();
    const lab = await createTestLab(services.prisma, "web-lab");
    key = lab.key;
    labId = lab.lab.id;
  });

  afterAll(async () => {
    await browser?.close();
    await pipeline?.close();
  });

  it("takes a specimen from upload to a reviewed, exported report", { timeout: 90_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const app = `${pipeline.ingest.url}/app/`;

    await page.goto(app);
    await screenshot(page, "sign-in");
    await signIn(page, "lf_not-a-key");
    await page.getByRole("alert").filter({ hasText: "Invalid or revoked API key" }).waitFor();
    await signIn(page, key);
    await page.getByRole("heading", { name: "Specimens" }).waitFor();

    await page.getByRole("link", { name: "Upload" }).click();
    await page.getByLabel("Accession").fill(ACCESSION);
    await page.getByLabel("Patient ref (pseudonymous, optional)").fill("pseudo-web-1");
    await page.getByRole("button", { name: "Open specimen" }).click();
    await page.getByRole("link", { name: "Open its report" }).waitFor();
    const specimen = await services.prisma.specimen.findFirstOrThrow({ where: { labId, accession: ACCESSION } });

    // A second tab follows the report from before the first byte arrives: it must fill by live updates alone.
    // The key lives in sessionStorage, which is per tab, so the new tab signs in too.
    const watcher = await context.newPage();
    await watcher.goto(`${app}#/specimens/${specimen.id}`);
    await signIn(watcher, key);
    await watcher.locator(".live").waitFor();

    // Act in the tab in front, as a user does: Chromium gives a background tab no animation frames.
    await page.bringToFront();
    await page.getByLabel("Choose files").setInputFiles(PICKED);
    await page.getByLabel("Choose a folder").setInputFiles(smearFolder());
    await dropFiles(page, "[data-testid=drop-zone]", [
      { name: path.basename(DROPPED), type: "image/jpeg", bytes: readFileSync(DROPPED) },
      { name: "notes.txt", type: "text/plain", bytes: Buffer.from("not an image") },
    ]);
    await page.getByText(`${IMAGE_COUNT + 1} of ${IMAGE_COUNT + 1} file(s) answered, 1 rejected`).waitFor();
    expect(await page.locator('tr[data-file="notes.txt"]').innerText()).toContain(
      "Rejected: notes.txt is not JPEG, PNG, TIFF, BMP or WebP",
    );
    for (const file of [...PICKED, DROPPED])
      expect(await page.locator(`tr[data-file="${path.basename(file)}"]`).innerText()).toContain("Accepted");
    for (const file of IN_FOLDER)
      expect(await page.locator(`tr[data-file="smear-7/${path.basename(file)}"]`).innerText()).toContain("Accepted");
    await screenshot(page, "upload");

    await watcher.bringToFront();
    await watcher.locator("h1", { hasText: "Completed" }).waitFor({ timeout: 60_000 });
    const cards = watcher.locator(".grid .card");
    expect(await cards.count()).toBe(IMAGE_COUNT);
    for (const text of await cards.allInnerTexts()) expect(text).toMatch(/(Benign|Early pre-B|Pre-B|Pro-B).*\d+%/s);
    expect(await watcher.locator("#verdict-title").innerText()).toMatch(/ALL suspected|Benign|Indeterminate/);
    expect(await watcher.locator('[data-flag="unreviewed"]').innerText()).toContain(
      `${IMAGE_COUNT} of ${IMAGE_COUNT} classified image(s) not reviewed`,
    );
    // Review images are made when first opened: none exists yet, and every prediction offers its Grad-CAM.
    expect(await services.prisma.prediction.count({ where: { gradcamKey: { not: null } } })).toBe(0);
    expect(
      (await services.prisma.image.findMany({ select: { segmentation: true } })).filter(
        (image) => image.segmentation !== null,
      ),
    ).toEqual([]);
    expect(await watcher.getByLabel("Show Grad-CAM overlays").count()).toBe(1);
    await screenshot(watcher, "report");

    // Review by keyboard: Enter opens the dialog with focus inside, arrow keys pick "Override".
    const first = cards.first();
    const imageId = (await first.getAttribute("data-image-id"))!;
    const predicted = await services.prisma.prediction.findFirstOrThrow({ where: { imageId } });
    const corrected = predicted.label === "benign" ? "pre_b" : "benign";
    await first.getByRole("button", { name: /^Review / }).focus();
    await watcher.keyboard.press("Enter");
    const dialog = watcher.getByRole("dialog");
    await dialog.waitFor();
    expect(await watcher.evaluate(() => document.activeElement?.closest("dialog") !== null)).toBe(true);
    // The dialog shows the segmentation, made by the preprocess worker now that someone opened it.
    await dialog.getByRole("img", { name: /^Segmentation overlay of / }).waitFor({ timeout: 30_000 });
    await dialog.getByRole("img", { name: /^Cell 1 of / }).waitFor({ timeout: 30_000 });
    expect((await services.prisma.image.findUniqueOrThrow({ where: { id: imageId } })).segmentation).not.toBeNull();
    await watcher.keyboard.press("ArrowDown");
    await dialog.getByLabel("Correct label").selectOption(corrected);
    await dialog.getByLabel(/^Reason/).fill("Nucleus shape and chromatin fit the corrected class");
    await screenshot(watcher, "review");
    await dialog.getByRole("button", { name: "Save review" }).click();
    await first.locator(".review-note.overridden").waitFor();
    expect(await first.innerText()).toContain("by test: “Nucleus shape and chromatin fit the corrected class”");
    expect(await services.prisma.review.findFirst({ where: { imageId } })).toMatchObject({
      decision: "OVERRIDDEN",
      label: corrected,
    });
    expect(await services.prisma.auditEvent.count({ where: { action: "image.reviewed", entityId: imageId } })).toBe(1);
    expect(await watcher.locator('[data-flag="overridden"]').innerText()).toContain("1 label(s) overridden");

    const csv = (await download(watcher, "Export CSV")).trimEnd().split("\r\n");
    expect(csv[0]).toMatch(
      /^accession,image_id,file_name,sha256,status,failure_reason,predicted_label,confidence,p_malignant,malignant_threshold,p_benign,/,
    );
    expect(csv).toHaveLength(IMAGE_COUNT + 1);
    expect(csv.find((row) => row.includes(imageId))).toContain(
      `OVERRIDDEN,${corrected},Nucleus shape and chromatin fit the corrected class,test,`,
    );
    const bundle = JSON.parse(await download(watcher, "Export FHIR JSON")) as {
      resourceType: string;
      entry: { resource: { resourceType: string } }[];
    };
    expect(bundle.resourceType).toBe("Bundle");
    expect(bundle.entry.filter(({ resource }) => resource.resourceType === "Observation")).toHaveLength(IMAGE_COUNT);

    await watcher.getByLabel("Show Grad-CAM overlays").check();
    // Made by the inference worker on this first request (202 until stored).
    await first.getByRole("img", { name: /^Grad-CAM overlay of / }).waitFor({ timeout: 30_000 });
    expect(
      (await services.prisma.prediction.findUniqueOrThrow({ where: { id: predicted.id } })).gradcamKey,
    ).not.toBeNull();

    await page.bringToFront();
    await page.getByRole("link", { name: "Specimens" }).click();
    await page.getByLabel("Accession").fill(ACCESSION);
    await page.getByRole("button", { name: "Search" }).click();
    const row = page.locator("tbody tr", { hasText: ACCESSION });
    await row.filter({ hasText: "Completed" }).waitFor();
    expect(await row.innerText()).toContain(`${IMAGE_COUNT} of ${IMAGE_COUNT}`);
    const waiting = await fetch(`${pipeline.ingest.url}/v1/specimens`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ accession: "WEB-E2E-2" }),
    });
    expect(waiting.status).toBe(201);
    await page.getByLabel("Accession").fill("");
    await page.getByRole("button", { name: "Search" }).click();
    await page.locator("tbody tr", { hasText: "WEB-E2E-2" }).filter({ hasText: "Received" }).waitFor();
    await screenshot(page, "specimens");

    for (const narrow of [page, watcher]) {
      await narrow.setViewportSize({ width: 768, height: 1024 });
      expect(await pageWidthOverflows(narrow)).toBe(false);
    }
    await screenshot(watcher, "report-tablet");
    await context.close();
  });
  it(
    "lists the images a model in shadow labels differently, its label beside the result",
    { timeout: 60_000 },
    async () => {
      const candidate = await publishModel(
        { db: services.db, objectStore: services.objectStore },
        path.join(SHIPPED_MODEL_DIR, "..", "aria-cnn5-v1"),
        { activate: false },
      );
      const ref = `${candidate.name}@${candidate.version}`;
      await startShadow(services.db, ref, 0.5, { actor: "test", reason: "workstation test" });
      // The shadow worker's rows, as it writes them (its pipeline test is packages/cli's models-shadow-pipeline).
      const specimen = await services.prisma.specimen.findFirstOrThrow({ where: { labId, accession: ACCESSION } });
      const predictions = await services.prisma.prediction.findMany({
        where: { image: { specimenId: specimen.id, reviews: { none: {} } } },
        orderBy: { imageId: "asc" },
      });
      const [differs, ...agree] = predictions;
      const otherLabel = differs!.label === "benign" ? "pro_b" : "benign";
      await services.prisma.shadowPrediction.createMany({
        data: [differs!, ...agree].map((p, i) => ({
          imageId: p.imageId,
          modelVersionId: candidate.id,
          label: i === 0 ? otherLabel : p.label,
          probabilities: p.probabilities as object,
          confidence: 0.77,
          malignantProbability: i === 0 ? 1 - p.malignantProbability : p.malignantProbability,
        })),
      });

      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${pipeline.ingest.url}/app/#/review-queue`);
      await signIn(page, key);
      const note = page.getByTestId("shadow-note");
      await note.waitFor();
      expect(await note.innerText()).toContain(`${ref} is in shadow (50 % of specimens)`);
      await note.getByRole("link", { name: "Images where it disagrees with the result" }).click();
      await page.getByRole("heading", { name: `Disagreements with ${ref}` }).waitFor();
      const rows = page.locator("table.review-queue tbody tr");
      await rows.first().waitFor();
      expect(await rows.count()).toBe(1);
      expect(await rows.first().getAttribute("data-image-id")).toBe(differs!.imageId);
      const shown = await rows.first().innerText();
      expect(shown).toContain("77.0 %");
      expect(shown).toContain("malignant call differs");
      expect(shown).toContain(otherLabel === "benign" ? "Benign" : "Pro-B (malignant)");
      expect(page.url()).toContain(`#/review-queue/${encodeURIComponent(ref)}`);
      await context.close();
    },
  );
});
