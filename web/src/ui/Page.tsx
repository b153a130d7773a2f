import { Group, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useEffect, useRef } from 'react';
import { useLocation } from 'react-router';
import { useTenant } from '../app/tenant';

/** Sets the document title: page · government · Balai. */
export function usePageTitle(title: string | undefined): void {
  const tenant = useTenant();
  const name = tenant.data?.name;
  useEffect(() => {
    document.title = [title, name, 'Balai'].filter(Boolean).join(' · ');
  }, [title, name]);
}

/** The page's one h1; focus lands on it after each navigation (see RouteFocus). */
export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  usePageTitle(title);
  return (
    <Group justify="space-between" align="flex-start" mb="lg" gap="sm" wrap="wrap">
      <Stack gap={4} style={{ minWidth: 0, flex: '1 1 16rem' }}>
        <Title order={1} size="h2" id="page-title" tabIndex={-1} style={{ outline: 'none' }}>
          {title}
        </Title>
        {description ? (
          <Text c="dimmed" size="sm" component={typeof description === 'string' ? 'p' : 'div'}>
            {description}
          </Text>
        ) : null}
      </Stack>
      {actions ? <Group gap="xs">{actions}</Group> : null}
    </Group>
  );
}

/**
 * Moves keyboard and screen-reader focus to the new page's heading after client-side navigation,
 * as a full page load would. The first render keeps the browser's default.
 */
export function RouteFocus() {
  const location = useLocation();
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every change of page, by design
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    let tries = 0;
    const timer = window.setInterval(() => {
      tries += 1;
      const heading = document.getElementById('page-title');
      const target = heading ?? (tries > 20 ? document.getElementById('main') : null);
      if (target) {
        window.clearInterval(timer);
        target.focus({ preventScroll: false });
      }
    }, 50);
    return () => window.clearInterval(timer);
  }, [location.pathname]);
  return null;
}

/** First focusable element of every layout: jumps past the navigation. */
export function SkipLink({ label }: { label: string }) {
  return (
    <a className="balai-skip" href="#main">
      {label}
    </a>
  );
}
