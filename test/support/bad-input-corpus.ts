import { readFileSync } from "node:fs";
import { crc32 } from "node:zlib";
import sharp, { type Sharp } from "sharp";
import { encodeBmp } from "../../packages/imaging/src/test-support/encode-bmp.js";
import { ariaImages } from "./datasets.js";

export type BadInputOutcome =
  | { kind: "refused"; status: number; type: string }
  | { kind: "fails-preprocessing" }
  | { kind: "accepted"; storedName: string };

export interface BadInput {
  label: string;
  fileName: string;
  bytes: Buffer;
  expected: BadInputOutcome;
}

/**
 * Broken and hostile uploads, made from real smears of the dataset at test time, each with what
 * LeukoFlow must make of it. `maxUploadBytes` is the ingest limit the over-size file exceeds.
 */
export async function badInputCorpus(maxUploadBytes: number): Promise<BadInput[]> {
  const smears = ariaImages("pre_b", 8, 40).map((file) => readFileSync(file));
  const smear = (i: number) => sharp(smears[i]).resize({ width: 320 });
  const truncated = (bytes: Buffer) => bytes.subarray(0, Math.floor(bytes.length / 2));
  const png = await smear(0).png().toBuffer();
  const bmp = await bmpOf(smear(1));
  const tiff = await smear(2).tiff({ compression: "lzw" }).toBuffer();
  const jpeg = smears[3]!;
  return [
    {
      label: "zero-bytes",
      fileName: "empty.jpg",
      bytes: Buffer.alloc(0),
      expected: refused(415, "unsupported-image-format"),
    },
    {
      label: "text-named-jpg",
      fileName: "notes.jpg",
      bytes: Buffer.from("patient notes, not an image\n"),
      expected: refused(415, "unsupported-image-format"),
    },
    {
      label: "over-size-limit",
      fileName: "huge.jpg",
      bytes: Buffer.concat([jpeg, Buffer.alloc(maxUploadBytes)]),
      expected: refused(413, "file-too-large"),
    },
    {
      label: "png-claims-60000x60000",
      fileName: "bomb.png",
      bytes: withPngSize(png, 60_000, 60_000),
      expected: refused(413, "too-many-pixels"),
    },
    { label: "truncated-jpeg", fileName: "cut.jpg", bytes: truncated(jpeg), expected: { kind: "fails-preprocessing" } },
    { label: "truncated-png", fileName: "cut.png", bytes: truncated(png), expected: { kind: "fails-preprocessing" } },
    { label: "truncated-bmp", fileName: "cut.bmp", bytes: truncated(bmp), expected: { kind: "fails-preprocessing" } },
    {
      label: "truncated-tiff",
      fileName: "cut.tiff",
      bytes: truncated(tiff),
      expected: { kind: "fails-preprocessing" },
    },
    {
      label: "one-by-one",
      fileName: "dot.png",
      bytes: await sharp(smears[4]).resize(1, 1).png().toBuffer(),
      expected: { kind: "accepted", storedName: "dot.png" },
    },
    {
      label: "jpeg-zip-polyglot",
      fileName: "both.jpg",
      bytes: Buffer.concat([smears[5]!, zipHolding("payload.html", "<script>alert(1)</script>")]),
      expected: { kind: "accepted", storedName: "both.jpg" },
    },
    {
      label: "name-with-dot-dot",
      fileName: "../../etc/passwd.jpg",
      bytes: smears[6]!,
      expected: { kind: "accepted", storedName: "passwd.jpg" },
    },
    {
      label: "name-with-nul-and-unicode",
      fileName: "blut\u0000-Ä-血液-🩸.jpg",
      bytes: smears[7]!,
      expected: { kind: "accepted", storedName: "blut-Ä-血液-🩸.jpg" },
    },
  ];
}

function refused(status: number, type: string): BadInputOutcome {
  return { kind: "refused", status, type };
}

/** A PNG whose IHDR declares another size, with the chunk's CRC recomputed so it stays well-formed. */
function withPngSize(png: Buffer, width: number, height: number): Buffer {
  const forged = Buffer.from(png);
  const ihdr = 8; // after the signature: length (4), "IHDR" (4), 13 bytes of data, CRC (4)
  forged.writeUInt32BE(width, ihdr + 8);
  forged.writeUInt32BE(height, ihdr + 12);
  forged.writeUInt32BE(crc32(forged.subarray(ihdr + 4, ihdr + 8 + 13)), ihdr + 8 + 13);
  return forged;
}

/** A 24-bit bottom-up BMP, as microscope software writes them (sharp writes none). */
async function bmpOf(image: Sharp): Promise<Buffer> {
  const { data, info } = await image.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return Buffer.from(encodeBmp(data, info.width, info.height, { bitsPerPixel: 24, topDown: false, headerSize: 40 }));
}

/** A one-file ZIP archive (stored, not deflated); appended to a JPEG it makes a JPEG/ZIP polyglot. */
function zipHolding(name: string, content: string): Buffer {
  const data = Buffer.from(content);
  const fileName = Buffer.from(name);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(local.length + fileName.length + data.length, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}
