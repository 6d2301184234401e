import { useEffect, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api/error';
import type { Page } from '../api/types';

/**
 * usePaged: a list read page by page from a keyset-paged endpoint, first
 * page again whenever `key` changes; `more()` appends the next page. A
 * failure keeps what was loaded and shows the error until the next try.
 *
 *   const history = usePaged((cursor) => api.contactHistory(id, cursor), id);
 */
export interface Paged<T> {
  items: T[];
  /** Every page was read. */
  done: boolean;
  busy: boolean;
  error: ApiError | null;
  more: () => void;
}

export function usePaged<T>(load: (cursor: string | null) => Promise<Page<T>>, key: string): Paged<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const read = async (from: string | null, replace: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const page = await load(from);
      setItems((prev) => (replace ? page.items : [...prev, ...page.items]));
      setCursor(page.next_cursor);
      setDone(page.next_cursor === null);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    setItems([]);
    setDone(false);
    void read(null, true);
  }, [key]);

  return { items, done, busy, error, more: () => void read(cursor, false) };
}
