import { Button, Container } from '@mantine/core';
import { IconMapQuestion } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeader } from './Page';
import { EmptyState } from './PageState';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Container size="sm" py="xl">
      <PageHeader title={t('notFound.title')} />
      <EmptyState title={t('notFound.title')} description={t('notFound.body')} icon={<IconMapQuestion size={28} aria-hidden />}>
        <Button component={Link} to="/">
          {t('notFound.home')}
        </Button>
      </EmptyState>
    </Container>
  );
}
