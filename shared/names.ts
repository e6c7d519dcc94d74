/** How Strata names images, everywhere: the docker CLI's 12-hex short ID, and the first real repo:tag. */

/** The 12-hex short ID the docker CLI shows. */
export function shortImageId(id: string): string {
  const hex = id.startsWith('sha256:') ? id.slice('sha256:'.length) : id;
  return hex.slice(0, 12);
}

/** False for the engine's placeholders of untagged images. */
export function isRealTag(tag: string): boolean {
  return tag !== '' && tag !== '<none>:<none>' && !tag.endsWith(':<none>');
}

/** The first real repo:tag in sort order, else the short ID. */
export function displayNameOf(imageId: string, repoTags: readonly string[]): string {
  return repoTags.filter(isRealTag).sort()[0] ?? shortImageId(imageId);
}
