import { useEngineInfo, useEngineStatus } from '../../app/queries';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { CopyDiagnostics } from './CopyDiagnostics';
import { EngineUnavailable } from './EngineUnavailable';
import { EnginesSection } from './EnginesSection';
import { engineInfoSections } from './engineViewModel';

/** What `docker version` and `docker info` show for the engine shown, the list of engines, and Copy diagnostics. */
export function EngineView() {
  const status = useEngineStatus();
  const info = useEngineInfo();

  let body;
  if (status.data?.state !== 'connected') {
    body = <EngineUnavailable status={status.data} error={status.error} />;
  } else if (info.error !== null) {
    body = <ErrorNotice>Could not read the engine's information: {info.error.message}</ErrorNotice>;
  } else if (info.data === undefined) {
    body = <p className="notice">Reading the engine's information…</p>;
  } else {
    body = (
      <div className="info-grid">
        {engineInfoSections(info.data).map((section) => (
          <section key={section.title} className="info-card" aria-label={section.title}>
            <h2>{section.title}</h2>
            <dl>
              {section.items.map((item) => (
                <div key={item.label} className="info-item">
                  <dt>{item.label}</dt>
                  <dd>{item.value}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    );
  }

  return (
    <section className="view" aria-labelledby="engine-title">
      <header className="view-header">
        <h1 id="engine-title">Engine</h1>
        <CopyDiagnostics />
      </header>
      <div className="view-scroll">
        {body}
        <EnginesSection />
      </div>
    </section>
  );
}
