/** STS (awsQuery, Version 2011-06-15): GetCallerIdentity for the sandbox's account. */
import type { Ctx } from './context.js';
import type { QTree } from './query.js';
import type { XmlValue } from './xml.js';

export type StsHandler = (ctx: Ctx, p: QTree) => XmlValue | undefined;

export const STS_ACTIONS: Record<string, StsHandler> = {
  GetCallerIdentity: (ctx) => ({
    UserId: 'AIDASANDBOXUSER00000',
    Account: ctx.opts.accountId,
    Arn: `arn:aws:iam::${ctx.opts.accountId}:user/sandbox`,
  }),
};
