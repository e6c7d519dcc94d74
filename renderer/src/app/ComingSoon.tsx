export interface ComingSoonProps {
  readonly title: string;
  readonly description: string;
}

/** A view that is planned but not built yet: says what will be there, shows no made-up data. */
export function ComingSoon({ title, description }: ComingSoonProps) {
  return (
    <section className="view coming-soon" aria-labelledby="coming-soon-title">
      <div className="empty-state">
        <h1 id="coming-soon-title">{title}</h1>
        <p className="badge">Coming soon</p>
        <p>{description}</p>
      </div>
    </section>
  );
}
