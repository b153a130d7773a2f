import { Button } from '@mantine/core';
import { IconLanguage } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { LANGUAGE_NAMES, LANGUAGES, type Language, setLanguage } from '../app/i18n';

/**
 * Switches between Indonesian and English; the choice is remembered in this browser. A plain
 * button (not a menu) keeps the public pages free of the popover machinery.
 */
export function LanguageSwitch({ compact = false }: { compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const current = i18n.language as Language;
  const next = LANGUAGES.find((l) => l !== current) ?? 'id';
  return (
    <Button
      variant="subtle"
      color="gray"
      c="dark.6"
      size="compact-sm"
      leftSection={<IconLanguage size={18} aria-hidden />}
      onClick={() => void setLanguage(next)}
      aria-label={t('language.switchTo', { name: LANGUAGE_NAMES[next] })}
      lang={next}
      data-testid="language-switch"
    >
      {compact ? next.toUpperCase() : LANGUAGE_NAMES[next]}
    </Button>
  );
}
