import type { ReactNode } from 'react';

/** An error the user must see, announced to screen readers. Children are rendered as text, never HTML. */
export function ErrorNotice({ children }: { readonly children: ReactNode }) {
  return (
    <p className="notice notice-error" role="alert">
      {children}
    </p>
  );
}
