import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Targeting } from '../../../../shared/domain/unit';
import { TARGETING_OPTIONS } from './fields';

const toggle = <T,>(list: readonly T[], v: T, on: boolean): T[] => (on ? [...list.filter((x) => x !== v), v] : list.filter((x) => x !== v));
const splitList = (s: string) =>
  s
    .split(/[,，\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * Who a unit reaches: regions (GB/T 2260 codes), city tiers, age, gender, OS, interests and the
 * merchant's audience packs, each included, excluded or neither (never both: the checks refuse it).
 */
export function TargetingEditor({
  value,
  onChange,
  packs,
  idPrefix,
}: {
  value: Targeting;
  onChange: (v: Targeting) => void;
  packs: { id: string; name: string }[];
  idPrefix: string;
}) {
  const { t } = useTranslation();
  const [regionsText, setRegionsText] = useState(value.regions.join(', '));
  const [interestsText, setInterestsText] = useState(value.interests.join(', '));
  const badRegions = splitList(regionsText).filter((r) => !/^\d{6}$/.test(r));
  const set = (patch: Partial<Targeting>) => onChange({ ...value, ...patch });

  const checks = <K extends 'cityTiers' | 'ageRanges' | 'os'>(key: K, options: readonly Targeting[K][number][]) => (
    <fieldset className="chips">
      <legend>{t(`edit.targeting.${key}`)}</legend>
      {options.map((o) => (
        <label key={o}>
          <input
            type="checkbox"
            checked={(value[key] as readonly string[]).includes(o)}
            onChange={(e) => set({ [key]: toggle(value[key] as readonly string[], o, e.target.checked) } as Partial<Targeting>)}
          />
          {t(`edit.targeting.value.${o}`, { defaultValue: o })}
        </label>
      ))}
      {(value[key] as readonly string[]).length === 0 && <span className="hint">{t('edit.targeting.any')}</span>}
    </fieldset>
  );

  return (
    <div className="targeting" data-testid="targeting-editor">
      <label htmlFor={`${idPrefix}-regionKind`}>{t('edit.targeting.regionKind')}</label>
      <select id={`${idPrefix}-regionKind`} value={value.regionKind} onChange={(e) => set({ regionKind: e.target.value as Targeting['regionKind'] })}>
        {TARGETING_OPTIONS.regionKind.map((k) => (
          <option key={k} value={k}>
            {t(`edit.targeting.value.${k}`)}
          </option>
        ))}
      </select>
      <label htmlFor={`${idPrefix}-regions`}>{t('edit.targeting.regions')}</label>
      <input
        id={`${idPrefix}-regions`}
        value={regionsText}
        placeholder={t('edit.targeting.regionsHint')}
        aria-invalid={badRegions.length ? true : undefined}
        aria-describedby={badRegions.length ? `${idPrefix}-regions-error` : undefined}
        onChange={(e) => {
          setRegionsText(e.target.value);
          const list = splitList(e.target.value);
          if (list.every((r) => /^\d{6}$/.test(r))) set({ regions: list });
        }}
      />
      {badRegions.length > 0 && (
        <p id={`${idPrefix}-regions-error`} className="field-error" role="alert">
          {t('edit.targeting.badRegion', { code: badRegions[0] })}
        </p>
      )}
      {checks('cityTiers', TARGETING_OPTIONS.cityTiers)}
      {checks('ageRanges', TARGETING_OPTIONS.ageRanges)}
      <fieldset className="chips">
        <legend>{t('edit.targeting.gender')}</legend>
        {TARGETING_OPTIONS.gender.map((g) => (
          <label key={g}>
            <input type="radio" name={`${idPrefix}-gender`} checked={value.gender === g} onChange={() => set({ gender: g })} />
            {t(`edit.targeting.genderValue.${g}`)}
          </label>
        ))}
      </fieldset>
      {checks('os', TARGETING_OPTIONS.os)}
      <label htmlFor={`${idPrefix}-interests`}>{t('edit.targeting.interests')}</label>
      <input
        id={`${idPrefix}-interests`}
        value={interestsText}
        placeholder={t('edit.targeting.interestsHint')}
        onChange={(e) => {
          setInterestsText(e.target.value);
          set({ interests: splitList(e.target.value).slice(0, 50) });
        }}
      />
      <fieldset className="packs">
        <legend>{t('edit.targeting.audiences')}</legend>
        {packs.length === 0 && <span className="hint">{t('edit.targeting.noPacks')}</span>}
        {packs.map((p) => {
          const mode = value.audienceInclude.includes(p.id) ? 'include' : value.audienceExclude.includes(p.id) ? 'exclude' : 'none';
          return (
            <label key={p.id} className="pack">
              <span>{p.name}</span>
              <select
                value={mode}
                aria-label={t('edit.targeting.packMode', { name: p.name })}
                onChange={(e) => {
                  const m = e.target.value;
                  set({
                    audienceInclude: toggle(value.audienceInclude, p.id, m === 'include'),
                    audienceExclude: toggle(value.audienceExclude, p.id, m === 'exclude'),
                  });
                }}
              >
                <option value="none">{t('edit.targeting.packNone')}</option>
                <option value="include">{t('edit.targeting.packInclude')}</option>
                <option value="exclude">{t('edit.targeting.packExclude')}</option>
              </select>
            </label>
          );
        })}
      </fieldset>
      <label htmlFor={`${idPrefix}-converted`}>{t('edit.targeting.excludeConverted')}</label>
      <input
        id={`${idPrefix}-converted`}
        type="number"
        min={1}
        max={180}
        value={value.excludeConvertedDays ?? ''}
        placeholder={t('edit.targeting.excludeConvertedHint')}
        onChange={(e) => {
          const n = Number(e.target.value);
          set({ excludeConvertedDays: e.target.value === '' || !Number.isInteger(n) ? null : Math.max(1, Math.min(180, n)) });
        }}
      />
    </div>
  );
}
