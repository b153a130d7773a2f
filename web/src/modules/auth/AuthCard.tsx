import { Alert, Container, Paper } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { PageHeader } from '../../ui/Page';

/** The narrow card that holds sign-in, registration and password forms. */
export function AuthCard({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <Container size={460} py={{ base: 'lg', sm: 48 }} px="md">
      <Paper withBorder p={{ base: 'md', sm: 'xl' }} radius="lg" shadow="xs">
        <PageHeader title={title} description={description} />
        {children}
      </Paper>
    </Container>
  );
}

/** The form-level message; focusable so that focus can move to it after a failed submit. */
export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <Alert color="red" variant="light" icon={<IconAlertCircle aria-hidden />} role="alert" tabIndex={-1} data-form-error mb="md">
      {message}
    </Alert>
  );
}
