import sharp from "sharp";

export const CHART_SIZE = 480;
/** Plot area of the square charts: left/top margin and side length. */
export const PLOT = { left: 70, top: 40, side: 380 } as const;

export function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c]!);
}

export function svgDocument(title: string, body: string, width = CHART_SIZE, height = CHART_SIZE): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, Arial, sans-serif">` +
    `<rect width="100%" height="100%" fill="white"/>` +
    `<text x="${width / 2}" y="24" font-size="15" text-anchor="middle">${escapeXml(title)}</text>${body}</svg>`
  );
}

/** Unit-square axes (0..1 both ways) with ticks every 0.2 and axis labels. */
export function unitAxes(xLabel: string, yLabel: string): string {
  const { left, top, side } = PLOT;
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1]
    .map((t) => {
      const x = left + t * side,
        y = top + (1 - t) * side;
      return (
        `<line x1="${x}" y1="${top + side}" x2="${x}" y2="${top + side + 5}" stroke="black"/>` +
        `<text x="${x}" y="${top + side + 18}" font-size="11" text-anchor="middle">${t.toFixed(1)}</text>` +
        `<line x1="${left - 5}" y1="${y}" x2="${left}" y2="${y}" stroke="black"/>` +
        `<text x="${left - 8}" y="${y + 4}" font-size="11" text-anchor="end">${t.toFixed(1)}</text>`
      );
    })
    .join("");
  return (
    `<rect x="${left}" y="${top}" width="${side}" height="${side}" fill="none" stroke="black"/>${ticks}` +
    `<text x="${left + side / 2}" y="${top + side + 36}" font-size="13" text-anchor="middle">${escapeXml(xLabel)}</text>` +
    `<text transform="translate(18 ${top + side / 2}) rotate(-90)" font-size="13" text-anchor="middle">${escapeXml(yLabel)}</text>`
  );
}

/** Maps unit coordinates into the plot area. */
export function toPlot(x: number, y: number): [number, number] {
  return [PLOT.left + x * PLOT.side, PLOT.top + (1 - y) * PLOT.side];
}

export async function svgToPng(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg)).png().toBuffer();
}
