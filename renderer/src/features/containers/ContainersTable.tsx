/** The Containers table: a select-all header, one body per compose project, then the containers in none. */
import type { ReactNode } from 'react';
import type { ContainerSummary } from '../../../../shared/api';
import type { GroupedContainers } from './containersViewModel';

const COLUMN_COUNT = 9;

export interface ContainersTableProps {
  readonly grouped: GroupedContainers;
  readonly allShownChecked: boolean;
  readonly someShownChecked: boolean;
  /** Checks or unchecks every shown container. */
  readonly onCheckShown: (on: boolean) => void;
  readonly renderRows: (list: readonly ContainerSummary[]) => ReactNode;
}

export function ContainersTable({
  grouped,
  allShownChecked,
  someShownChecked,
  onCheckShown,
  renderRows,
}: ContainersTableProps) {
  return (
    <table className="containers-table" aria-label="Containers">
      <thead>
        <tr>
          <th className="ctr-check">
            <input
              type="checkbox"
              aria-label="Select all shown containers"
              checked={allShownChecked}
              ref={(node) => {
                if (node !== null) node.indeterminate = someShownChecked && !allShownChecked;
              }}
              onChange={(event) => onCheckShown(event.target.checked)}
            />
          </th>
          <th scope="col">Name</th>
          <th scope="col">Image</th>
          <th scope="col">State</th>
          <th scope="col">Created</th>
          <th scope="col">Ports</th>
          <th scope="col">Command</th>
          <th scope="col" className="cell-numeric">
            Size
          </th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      {grouped.projects.map((group) => (
        <tbody key={`project:${group.project}`} aria-label={`Compose project ${group.project}`}>
          <tr className="project-row">
            <th colSpan={COLUMN_COUNT} scope="rowgroup">
              <span className="project-name">{group.project}</span>{' '}
              <span className="muted">
                {group.containers.length} {group.containers.length === 1 ? 'container' : 'containers'}, {group.running}{' '}
                running
              </span>
            </th>
          </tr>
          {renderRows(group.containers)}
        </tbody>
      ))}
      {grouped.ungrouped.length === 0 ? null : (
        <tbody aria-label={grouped.projects.length === 0 ? 'All containers' : 'Other containers'}>
          {grouped.projects.length === 0 ? null : (
            <tr className="project-row">
              <th colSpan={COLUMN_COUNT} scope="rowgroup">
                <span className="muted">Not in a compose project</span>
              </th>
            </tr>
          )}
          {renderRows(grouped.ungrouped)}
        </tbody>
      )}
    </table>
  );
}
