import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** The part of a TanStack infinite query that a "Muat lagi" button needs. */
export interface PagedList {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/** "Muat lagi" under a cursor-paginated list; renders nothing when there is no further page. */
export function LoadMore({ list }: { list: PagedList }) {
  const { t } = useTranslation();
  if (!list.hasNextPage) return null;
  return (
    <Group justify="center">
      <Button variant="default" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
        {t('action.loadMore')}
      </Button>
    </Group>
  );
}
