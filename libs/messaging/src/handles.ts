/**
 * `@Handles('faces.add')` marks the method that answers a pattern of the contract map, as `RpcClient.send` sends
 * one: a pattern the map does not have, a request type the contract's request does not fit, or a reply other than
 * the contract's is a compile error. The method is called with the request and the message's context, without
 * parameter decorators.
 */
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import type { Pattern, ReplyOf, RequestOf } from '#contracts';
import type { MessageContext } from './consumer-transport';

/** What a handler of `P` may be: it takes the contract's request (or ignores it) and answers its reply. */
export type HandlerOf<P extends Pattern> = (
  request: RequestOf<P>,
  context: MessageContext,
) => ReplyOf<P> | Promise<ReplyOf<P>>;

export function Handles<P extends Pattern>(pattern: P) {
  return <H extends HandlerOf<P>>(
    target: object,
    method: string | symbol,
    descriptor: TypedPropertyDescriptor<H>,
  ): TypedPropertyDescriptor<H> => {
    MessagePattern(pattern)(target, method, descriptor);
    // Nest passes a handler without parameter decorators the payload only.
    Payload()(target, method, 0);
    Ctx()(target, method, 1);
    return descriptor;
  };
}
