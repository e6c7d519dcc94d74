/** The Disk view: `docker system df` as pictures (totals, image treemap, volumes, build cache) and cleanup. */
export function DiskView() {
  return (
    <section className="view" aria-labelledby="disk-title">
      <h1 id="disk-title">Disk</h1>
    </section>
  );
}
