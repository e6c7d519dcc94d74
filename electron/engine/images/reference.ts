/** The reference an image call names, checked again: the service can be called without the dispatcher's schema check. */
import { StrataError } from '../../../shared/errors';
import { parseReference, type ParsedReference } from '../../../shared/reference';

export function requireReference(reference: unknown): ParsedReference {
  if (typeof reference !== 'string') {
    throw new StrataError('invalid_argument', 'An image reference is required, for example "alpine:3.19".');
  }
  const parsed = parseReference(reference);
  if (!parsed.ok) throw new StrataError('invalid_argument', parsed.reason);
  return parsed.value;
}
