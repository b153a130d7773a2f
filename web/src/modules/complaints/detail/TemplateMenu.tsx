import { Button, Menu, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconTemplate } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../app/api';
import type { ResponseTemplate } from './types';

/** "Pakai templat": inserts the body of one of the tenant's response templates into a form. */
export function TemplateMenu({ categoryId, onPick }: { categoryId: string; onPick: (body: string) => void }) {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: ['complaints', 'templates', categoryId],
    queryFn: () => api.get<{ items: ResponseTemplate[] }>('/api/v1/complaints/templates', { categoryId }),
    staleTime: 5 * 60_000,
    retry: false,
  });
  const items = list.data?.items ?? [];
  if (list.isError || (list.isSuccess && items.length === 0)) return null;
  return (
    <Menu position="bottom-start" withinPortal shadow="md" width={320}>
      <Menu.Target>
        <Button variant="subtle" size="compact-sm" leftSection={<IconTemplate size={14} aria-hidden />} loading={list.isPending} data-testid="template-menu">
          {t('templates.use')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('templates.choose')}</Menu.Label>
        {items.map((tpl) => (
          <Menu.Item key={tpl.id} onClick={() => onPick(tpl.body)}>
            <Text size="sm" fw={500}>
              {tpl.title}
            </Text>
            <Text size="xs" c="dimmed" lineClamp={2}>
              {tpl.body}
            </Text>
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
