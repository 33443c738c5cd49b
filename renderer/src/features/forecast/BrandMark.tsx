import { useMemo } from 'react';
import { parseLogoDataUrl } from '../../../../shared/domain/logo';

/**
 * The brand's mark for presentation and the report: its logo when the account manager picked
 * one (an <img> only of a data: URL checked again here down to its PNG/JPEG bytes), else a
 * monogram of the brand's name in the accent colour.
 */
export function BrandMark({ name, logo, size = 48, alt, testId }: { name: string; logo?: string | null; size?: number; alt?: string; testId?: string }) {
  // Decoding half a megabyte is not free: once per logo, not once per render.
  const valid = useMemo(() => !!logo && parseLogoDataUrl(logo).ok, [logo]);
  if (logo && valid) {
    // Wide logos keep their shape: the height is fixed, the width at most three times it.
    return <img className="fc-brandmark fc-logo" src={logo} alt={alt ?? name} style={{ height: size, maxWidth: size * 3 }} data-testid={testId} />;
  }
  const letter = [...name.trim()][0] ?? '?';
  return (
    <svg className="fc-brandmark" width={size} height={size} viewBox="0 0 48 48" aria-hidden="true" data-testid={testId ? `${testId}-monogram` : undefined}>
      <circle cx="24" cy="24" r="23" fill="var(--accent, #d9480f)" />
      <text x="24" y="32" textAnchor="middle" fontSize="24" fontWeight="700" fill="#fff">
        {letter}
      </text>
    </svg>
  );
}
