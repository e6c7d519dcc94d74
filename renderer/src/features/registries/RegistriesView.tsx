/** Registries: credentials, and browsing a registry v2 (catalog, tags, manifest) with pull. TODO: not built yet. */
export function RegistriesView() {
  return null;
}
