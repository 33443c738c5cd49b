import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { checkLogoBytes, LOGO_MAX_BYTES, logoDataUrl, type LogoProblem } from '../../../../shared/domain/logo';
import { call } from '../../api/call';
import { BrandMark } from './BrandMark';

const key = (merchantId: string | null) => ['branding', merchantId ?? ''] as const;

/** The merchant's logo (a checked data: URL) or null; kept in the local store per merchant. */
export function useBrandLogo(merchantId: string | null): string | null {
  const q = useQuery({ queryKey: key(merchantId), queryFn: () => call('branding.get', { merchantId: merchantId ?? '' }), enabled: merchantId !== null, retry: false });
  return q.data?.logo?.dataUrl ?? null;
}

/**
 * Pick the brand's logo for presentation mode and the report: PNG or JPEG (known by its bytes,
 * not its name), at most 512 KB. Checked here so the refusal is in the user's language, and
 * again by the contract when saved.
 */
export function LogoPicker({ merchantId, brand }: { merchantId: string | null; brand: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const logo = useBrandLogo(merchantId);
  const [message, setMessage] = useState<{ kind: 'error' | 'ok'; text: string } | null>(null);
  const refused = (problem: LogoProblem, name: string) => setMessage({ kind: 'error', text: t(`forecast.logo.problem.${problem}`, { name, max: LOGO_MAX_BYTES / 1024 }) });
  const save = useMutation({
    mutationFn: (dataUrl: string | null) => (dataUrl ? call('branding.setLogo', { merchantId: merchantId ?? '', dataUrl }) : call('branding.clearLogo', { merchantId: merchantId ?? '' })),
    onSuccess: (value, dataUrl) => {
      qc.setQueryData(key(merchantId), value);
      setMessage({ kind: 'ok', text: dataUrl ? t('forecast.logo.saved') : t('forecast.logo.removed') });
    },
    onError: (e: Error) => setMessage({ kind: 'error', text: t('forecast.logo.failed', { message: e.message }) }),
  });

  const pick = async (file: File | undefined) => {
    if (!file) return;
    setMessage(null);
    // Refused before reading: a huge file never gets into memory.
    if (file.size > LOGO_MAX_BYTES) return refused('too_large', file.name);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const checked = checkLogoBytes(bytes);
    if (!checked.ok) return refused(checked.problem, file.name);
    save.mutate(logoDataUrl(checked.type, bytes));
  };

  return (
    <div className="fc-brand fc-chrome" role="group" aria-labelledby="fc-brand-label">
      <span id="fc-brand-label">{t('forecast.logo.label')}</span>
      <BrandMark name={brand} logo={logo} size={28} alt={t('forecast.logo.alt', { brand })} testId="logo-preview" />
      <input
        ref={input}
        type="file"
        hidden
        accept="image/png,image/jpeg"
        data-testid="logo-input"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          // Cleared so picking the same file again still fires a change.
          e.currentTarget.value = '';
          void pick(file);
        }}
      />
      <button type="button" onClick={() => input.current?.click()} disabled={merchantId === null || save.isPending} data-testid="logo-pick">
        {logo ? t('forecast.logo.replace') : t('forecast.logo.pick')}
      </button>
      <button type="button" onClick={() => save.mutate(null)} disabled={!logo || save.isPending} data-testid="logo-remove">
        {t('forecast.logo.remove')}
      </button>
      <span className="hint">{t('forecast.logo.hint', { max: LOGO_MAX_BYTES / 1024 })}</span>
      {message && (
        <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind === 'error' ? 'fc-logo-error' : 'hint'} data-testid="logo-message">
          {message.text}
        </p>
      )}
    </div>
  );
}
