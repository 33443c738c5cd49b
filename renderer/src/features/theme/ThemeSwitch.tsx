import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyTheme, saveTheme, savedTheme, THEMES, type ThemeChoice } from './theme';
import './theme.css';

// Applied at import, before the first paint of the app, so a dark system never flashes light.
applyTheme(savedTheme());

/** System / light / dark, in the top bar. */
export function ThemeSwitch() {
  const { t } = useTranslation();
  const [choice, setChoice] = useState<ThemeChoice>(savedTheme);
  return (
    <label className="theme-switch">
      <span className="visually-hidden">{t('theme.label')}</span>
      <select
        data-testid="theme-switch"
        value={choice}
        onChange={(e) => {
          const next = e.target.value as ThemeChoice;
          setChoice(next);
          saveTheme(next);
          applyTheme(next);
        }}
      >
        {THEMES.map((th) => (
          <option key={th} value={th}>
            {t(`theme.${th}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
