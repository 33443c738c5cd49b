import type { MethodName, MethodOutput, ParsedInput } from '../../../shared/contract';

/** One contract method's implementation: its parsed input in, its output (or a promise of it) out. */
export type Handler<M extends MethodName> = (input: ParsedInput<M>) => Promise<MethodOutput<M>> | MethodOutput<M>;

/** Every method of the contract: a method without a handler is a compile error where this is built. */
export type Handlers = { [M in MethodName]: Handler<M> };

/** The handlers of one contract file (e.g. `AreaHandlers<typeof editMethods>`). */
export type AreaHandlers<Methods> = Pick<Handlers, Extract<keyof Methods, MethodName>>;
