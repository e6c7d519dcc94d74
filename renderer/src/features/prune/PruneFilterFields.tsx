/** The `until` and label filter fields a prune takes (image prune, disk cleanup), with the form's verdict under them. */
export function PruneFilterFields({
  idPrefix,
  untilLabel,
  until,
  labels,
  onUntil,
  onLabels,
  check,
  labelHint,
}: {
  readonly idPrefix: string;
  /** "Only images created before (until)". */
  readonly untilLabel: string;
  readonly until: string;
  readonly labels: string;
  readonly onUntil: (value: string) => void;
  readonly onLabels: (value: string) => void;
  /** Whether the whole form is valid, and why not. */
  readonly check: { readonly ok: true } | { readonly ok: false; readonly reason: string };
  readonly labelHint: string;
}) {
  return (
    <>
      <label className="field-label" htmlFor={`${idPrefix}-until`}>
        {untilLabel}
      </label>
      <input
        id={`${idPrefix}-until`}
        className="input"
        value={until}
        onChange={(event) => onUntil(event.target.value)}
        placeholder="24h, 90m, 2026-01-31"
        autoComplete="off"
        spellCheck={false}
      />
      <label className="field-label" htmlFor={`${idPrefix}-labels`}>
        Label filters
      </label>
      <input
        id={`${idPrefix}-labels`}
        className="input input-wide"
        value={labels}
        onChange={(event) => onLabels(event.target.value)}
        placeholder="team=web, !keep"
        autoComplete="off"
        spellCheck={false}
      />
      <p className={check.ok ? 'field-hint' : 'field-error'}>{check.ok ? labelHint : check.reason}</p>
    </>
  );
}
