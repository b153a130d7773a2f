import { createContext, useContext } from 'react';

/** The error that stopped a route from rendering (a failed chunk load or a render error). */
export const RouteErrorContext = createContext<unknown>(undefined);

/** Inside a route's error element: what went wrong. */
export function useRouteError(): unknown {
  return useContext(RouteErrorContext);
}
