import { createTheme, type MantineColorsTuple } from '@mantine/core';

/** A calm civic teal; shade 7 is the primary (white text on it passes WCAG AA). */
const balai: MantineColorsTuple = ['#e8f6f7', '#cfeaec', '#a2d6da', '#72c0c6', '#4aabb3', '#2f97a0', '#1b828c', '#0b6e79', '#085a63', '#05474e'];

export const theme = createTheme({
  colors: { balai },
  primaryColor: 'balai',
  primaryShade: { light: 7, dark: 5 },
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Ubuntu, sans-serif',
  headings: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Ubuntu, sans-serif', fontWeight: '650' },
  defaultRadius: 'md',
  cursorType: 'pointer',
  focusRing: 'auto',
  respectReducedMotion: true,
  components: {
    // Labels and help text darker than Mantine's default dimmed grey for contrast.
    InputWrapper: { styles: { description: { color: 'var(--mantine-color-gray-7)' } } },
  },
});
