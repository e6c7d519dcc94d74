/** The graph's legend: what a node's colour, a marker and a node's area mean. */
export function Legend() {
  return (
    <ul className="graph-legend" aria-label="Legend">
      <li>
        <svg width="14" height="14" aria-hidden="true">
          <circle cx="7" cy="7" r="6" className="graph-node-circle is-unique" />
        </svg>
        Used by one image
      </li>
      <li>
        <svg width="14" height="14" aria-hidden="true">
          <circle cx="7" cy="7" r="6" className="graph-node-circle is-shared" />
        </svg>
        Shared by several images
      </li>
      <li>
        <span className="graph-legend-marker" aria-hidden="true">
          ▸
        </span>
        Image (its last layer)
      </li>
      <li className="muted">Area shows the layer&apos;s size</li>
    </ul>
  );
}
