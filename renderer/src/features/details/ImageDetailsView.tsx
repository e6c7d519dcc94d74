/** Image details: key fields first, the raw inspect JSON below. TODO: not built yet. */
export function ImageDetailsView() {
  return null;
}
