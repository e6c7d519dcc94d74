/** After a prune or cleanup: that the engine did what the preview said, or every difference, as text. */
import './prune.css';

export function PlanDifferences({ differences }: { readonly differences: readonly string[] }) {
  if (differences.length === 0) return <p className="prune-match">It did exactly what the preview said.</p>;
  return (
    <div className="notice notice-error prune-differences" role="alert">
      <strong>The engine did not do exactly what the preview said:</strong>
      <ul>
        {differences.map((difference) => (
          <li key={difference}>{difference}</li>
        ))}
      </ul>
    </div>
  );
}
