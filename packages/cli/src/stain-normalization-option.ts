import { Option } from "commander";
import { STAIN_NORMALIZATIONS } from "@leukoflow/contracts";

/** `--stain-normalization none|reinhard`, recorded in the model so the preprocess worker feeds it the same colours. */
export function stainNormalizationOption(what: string): Option {
  return new Option(
    "--stain-normalization <method>",
    `${what}: none, or reinhard (each smear's Lab statistics mapped onto the ALL dataset's); recorded in the model so the preprocess worker applies it too`,
  )
    .choices(STAIN_NORMALIZATIONS)
    .default("none");
}
