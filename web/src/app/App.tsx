import { type CSSVariablesResolver, createTheme, MantineProvider, mergeThemeOverrides } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { queryClient } from './queryClient';
import { router } from './router';
import { theme } from './theme';

const Toasts = lazy(() => import('./Toasts'));

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
        <Toasts />
      </Suspense>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
