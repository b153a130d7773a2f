import { type CSSVariablesResolver, createTheme, MantineProvider, mergeThemeOverrides } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { queryClient } from './queryClient';
import { AppRouter } from './router';
import { theme } from './theme';

const Toasts = lazy(() => import('./Toasts'));

/**
 * The toast container (with its animation code) is fetched on the first interaction: toasts
 * answer what a user did, and shown earlier they wait in Mantine's store until it mounts.
 */
function LazyToasts() {
  const [needed, setNeeded] = useState(false);
  useEffect(() => {
    if (needed) return;
    const need = () => setNeeded(true);
    const events = ['pointerdown', 'keydown'] as const;
    for (const e of events) window.addEventListener(e, need, { once: true, capture: true });
    return () => {
      for (const e of events) window.removeEventListener(e, need, { capture: true });
    };
  }, [needed]);
  return needed ? <Toasts /> : null;
}

/** Darker secondary and error texts than Mantine's defaults, so that they pass WCAG AA contrast. */
const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-8)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-6)',
    // Text of "light" badges, buttons and alerts: the darkest shade, darkened further, so that
    // even orange and yellow reach 4.5:1 on their tinted background.
    ...Object.fromEntries(Object.keys(t.colors).map((c) => [`--mantine-color-${c}-light-color`, `color-mix(in srgb, var(--mantine-color-${c}-9) 70%, #000)`])),
  },
  dark: {},
});

/** Labels Mantine would otherwise render in English, in the interface language. */
function useLocalizedTheme() {
  const { t, i18n } = useTranslation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt when the language changes
  return useMemo(
    () =>
      mergeThemeOverrides(
        theme,
        createTheme({
          components: {
            PasswordInput: { defaultProps: { visibilityToggleButtonProps: { 'aria-label': t('field.togglePassword') } } },
            Modal: { defaultProps: { closeButtonProps: { 'aria-label': t('action.close') } } },
            Drawer: { defaultProps: { closeButtonProps: { 'aria-label': t('action.close') } } },
            Select: { defaultProps: { clearButtonProps: { 'aria-label': t('action.clear') } } },
            Notification: { defaultProps: { closeButtonProps: { 'aria-label': t('action.close') } } },
          },
        }),
      ),
    [i18n.language],
  );
}

export function App() {
  const localizedTheme = useLocalizedTheme();
  return (
    <MantineProvider theme={localizedTheme} defaultColorScheme="light" cssVariablesResolver={cssVariablesResolver}>
      <Suspense fallback={null}>
        <LazyToasts />
      </Suspense>
      <QueryClientProvider client={queryClient}>
        <AppRouter />
      </QueryClientProvider>
    </MantineProvider>
  );
}
