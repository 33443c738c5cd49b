import type { brandingMethods } from '../../../shared/contract/branding';
import { branding } from '../branding';
import type { CoreContext } from '../context';
import type { AreaHandlers } from './types';

export function brandingHandlers({ settings, merchants }: CoreContext): AreaHandlers<typeof brandingMethods> {
  const brand = branding({ settings, hasMerchant: (id) => merchants.local().some((m) => m.id === id) });
  return {
    'branding.get': ({ merchantId }) => brand.get(merchantId),
    'branding.setLogo': ({ merchantId, dataUrl }) => brand.setLogo(merchantId, dataUrl),
    'branding.clearLogo': ({ merchantId }) => brand.clearLogo(merchantId),
  };
}
