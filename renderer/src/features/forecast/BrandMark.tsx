/**
 * The brand's mark for presentation and the report. Merchants have no uploaded logo in the
 * model yet, so the mark is a monogram of the brand's name in the accent colour.
 */
export function BrandMark({ name, size = 48 }: { name: string; size?: number }) {
  const letter = [...name.trim()][0] ?? '?';
  return (
    <svg className="fc-brandmark" width={size} height={size} viewBox="0 0 48 48" aria-hidden="true">
      <circle cx="24" cy="24" r="23" fill="var(--accent, #d9480f)" />
      <text x="24" y="32" textAnchor="middle" fontSize="24" fontWeight="700" fill="#fff">
        {letter}
      </text>
    </svg>
  );
}
