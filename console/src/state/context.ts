import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Store } from './store';

export const StoreContext = createContext<Store | null>(null);

/** The store the app (or a test) provided. */
export function useStore(): Store {
  const store = useContext(StoreContext);
  if (!store) {
    throw new Error('useStore outside <StoreContext.Provider>');
  }
  return store;
}
