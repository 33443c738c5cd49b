import { ContractError, type MethodInput, type MethodName, type MethodOutput } from '../../../shared/contract';
import { host } from '../host';

/** Calls the contract and turns a typed error envelope into a thrown ContractError (with its issues and details) for react-query. */
export async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const envelope = await host.call(method, input);
  if (!envelope.ok) throw new ContractError(envelope.error.code, envelope.error.message, envelope.error.issues, envelope.error.details);
  return envelope.value;
}
