import { useEffect, useState } from 'react';
import { ensureLocale } from '../../app/i18n';

/**
 * Loads the language sections a reusable component shows, whichever page hosts it (pages load
 * only the sections their route names). True once the texts can be used.
 */
export function useLocaleSections(sections: readonly string[]): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let live = true;
    const done = () => {
      if (live) setReady(true);
    };
    ensureLocale(sections).then(done, done);
    return () => {
      live = false;
    };
  }, [sections]);
  return ready;
}
