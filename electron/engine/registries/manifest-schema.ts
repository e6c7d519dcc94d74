/**
 * A registry's manifest answers (image manifest, manifest list / OCI index), read leniently with the same primitives
 * as the engine's answers in core/answers.ts.
 */
import { answer, count, listOf, maybeCount, maybeText, readWith } from '../core/answers';

/** A content descriptor of a manifest (layer, config). */
export const descriptorSchema = answer({ digest: maybeText, size: count, mediaType: maybeText });

/** One entry of a manifest list / OCI index. */
export const manifestListEntrySchema = answer({
  digest: maybeText,
  size: count,
  mediaType: maybeText,
  platform: answer({ os: maybeText, architecture: maybeText, variant: maybeText }),
});

/** A registry manifest or index: `manifests` null when not a list, `config` null when absent. */
export const manifestSchema = answer({
  mediaType: maybeText,
  schemaVersion: maybeCount,
  manifests: readWith((value) =>
    Array.isArray(value) ? value.map((entry) => manifestListEntrySchema.parse(entry)) : null,
  ),
  layers: listOf(descriptorSchema),
  config: readWith((value) => (value === undefined || value === null ? null : descriptorSchema.parse(value))),
});
