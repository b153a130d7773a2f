import { Box, Text } from '@mantine/core';

/** A read-only fact of a detail page: a small dimmed label above its value. */
export function Field({ label, value }: { label: string; value: string }) {
  return (
    <Box>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {value}
      </Text>
    </Box>
  );
}
