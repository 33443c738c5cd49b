import { WhoAmI } from '../../../shared/sync/wire';
import { request, type HttpDeps, type SyncConfig } from './transport';

/** `GET /v1/me`: the token's principal and the accounts it may sync (with their details). */
export async function whoAmI(config: Omit<SyncConfig, 'merchantId'>, deps: HttpDeps): Promise<WhoAmI> {
  return WhoAmI.parse(await request({ ...config, merchantId: '' }, deps, 'GET', '/v1/me'));
}
