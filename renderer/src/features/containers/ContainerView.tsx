/** One container: overview (key fields), logs, stats, filesystem changes, raw inspect; actions and commit. */
export function ContainerView() {
  return (
    <section className="view" aria-labelledby="container-title">
      <h1 id="container-title">Container</h1>
    </section>
  );
}
