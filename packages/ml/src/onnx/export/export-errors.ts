/** A layer the exporter has no ONNX translation for; the export stops rather than write a wrong graph. */
export class UnsupportedLayerError extends Error {
  override readonly name = "UnsupportedLayerError";

  constructor(
    readonly layerName: string,
    readonly className: string,
    reason = "has no ONNX translation",
  ) {
    super(`layer "${layerName}" (${className}) ${reason}`);
  }
}

/** A model whose head does not give the outputs serving needs (logits of a final Dense). */
export class UnsupportedHeadError extends Error {
  override readonly name = "UnsupportedHeadError";
}
