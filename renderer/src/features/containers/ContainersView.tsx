/** The Containers view: every container, grouped by compose project, with actions and multi-select. */
export function ContainersView() {
  return (
    <section className="view" aria-labelledby="containers-title">
      <h1 id="containers-title">Containers</h1>
    </section>
  );
}
