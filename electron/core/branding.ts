import { ContractError } from '../../shared/contract/errors';
import type { Branding, BrandLogo } from '../../shared/contract/branding';
import { parseLogoDataUrl } from '../../shared/domain/logo';
import type { Settings } from './store/settings';

/** Settings key of a merchant's logo (JSON of BrandLogo). Local to this store; sync never sends it. */
export const logoKey = (merchantId: string) => `branding.logo@${merchantId}`;

/**
 * The brand's logo per merchant for presentations and reports. The contract has checked the
 * data URL already; what is read back is checked again, so a value edited in the SQLite file by
 * hand never reaches an <img> unless it is still a PNG or JPEG data URL.
 */
export function branding(deps: { settings: Settings; hasMerchant: (id: string) => boolean; now?: () => Date }) {
  const { settings } = deps;
  const now = deps.now ?? (() => new Date());
  const requireMerchant = (merchantId: string) => {
    if (!deps.hasMerchant(merchantId)) throw new ContractError('not_found', `no merchant "${merchantId}" in this data folder`, [{ path: 'merchantId', message: 'not in this store' }]);
  };
  const read = (merchantId: string): BrandLogo | null => {
    const raw = settings.get(logoKey(merchantId));
    if (!raw) return null;
    try {
      const stored = JSON.parse(raw) as Partial<BrandLogo>;
      if (typeof stored.dataUrl !== 'string') return null;
      const parsed = parseLogoDataUrl(stored.dataUrl);
      if (!parsed.ok) return null;
      return { dataUrl: stored.dataUrl, type: parsed.logo.type, bytes: parsed.logo.bytes, updatedAt: typeof stored.updatedAt === 'string' ? stored.updatedAt : '' };
    } catch {
      return null;
    }
  };
  return {
    get(merchantId: string): Branding {
      requireMerchant(merchantId);
      return { merchantId, logo: read(merchantId) };
    },
    setLogo(merchantId: string, dataUrl: string): Branding {
      requireMerchant(merchantId);
      const parsed = parseLogoDataUrl(dataUrl);
      // The contract's schema refused these already; a direct caller of the core gets the same answer.
      if (!parsed.ok) throw new ContractError('invalid_input', `logo refused: ${parsed.problem}`, [{ path: 'dataUrl', message: parsed.problem }]);
      const logo: BrandLogo = { dataUrl, type: parsed.logo.type, bytes: parsed.logo.bytes, updatedAt: now().toISOString() };
      settings.set(logoKey(merchantId), JSON.stringify(logo));
      return { merchantId, logo };
    },
    clearLogo(merchantId: string): Branding {
      requireMerchant(merchantId);
      settings.remove(logoKey(merchantId));
      return { merchantId, logo: null };
    },
  };
}
