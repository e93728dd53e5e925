import {
  defaultFieldResolver,
  GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  isNonNullType,
  isObjectType,
  responsePathAsArray,
} from 'graphql';
import type { IOptions } from 'graphql-shield/typings/types';
import type { AuditRecorder } from '../privacy/audit/audit-recorder';
import { applyMask } from './masks';
import type { PlanEntry, RequestAuthz } from './request-authz';

export const forbiddenMessage = (coordinate: string): string => `Not authorized to read ${coordinate}`;

export function forbidden(coordinate: string): GraphQLError {
  return new GraphQLError(forbiddenMessage(coordinate), { extensions: { code: 'FORBIDDEN' } });
}

interface GuardedContext {
  authz: RequestAuthz;
  audit: AuditRecorder;
}

const isPromise = (value: unknown): value is Promise<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';

/**
 * Wraps every field resolver of the schema's object types, once at start-up,
 * in a synchronous check of the request's field plan. Allowed fields cost a
 * map lookup; denied ones never run their resolver (no SQL, the value never
 * leaves the process); masks transform the value; only fields whose rule
 * depends on the row run a check per value. A coordinate missing from the
 * plan is denied.
 */
export function guardSchema(schema: GraphQLSchema, shieldOptions: IOptions): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      const resolve: GraphQLFieldResolver<unknown, GuardedContext> = field.resolve ?? defaultFieldResolver;
      const nonNull = isNonNullType(field.type);
      const refuse = (ctx: GuardedContext, path: Parameters<typeof responsePathAsArray>[0], entry?: PlanEntry, parent?: unknown): unknown => {
        if (entry?.audit !== undefined) ctx.audit.touch(entry.audit, 'deny', parent);
        // A non-null field cannot be null: its error travels with it. Nullable ones get one error per coordinate.
        if (nonNull) return forbidden(coordinate);
        if (!ctx.authz.denied.has(coordinate)) ctx.authz.denied.set(coordinate, responsePathAsArray(path));
        return null;
      };
      field.resolve = (parent, args, ctx: GuardedContext, info) => {
        const entry = ctx.authz.plan.get(coordinate);
        if (entry === undefined) return refuse(ctx, info.path);
        switch (entry.kind) {
          case 'allow':
            if (entry.audit !== undefined) ctx.audit.touch(entry.audit, 'allow', parent);
            return resolve(parent, args, ctx, info);
          case 'deny':
            return refuse(ctx, info.path, entry, parent);
          case 'mask': {
            if (entry.audit !== undefined) ctx.audit.touch(entry.audit, 'mask', parent);
            const value = resolve(parent, args, ctx, info);
            return isPromise(value) ? value.then((v) => applyMask(entry.mask, v)) : applyMask(entry.mask, value);
          }
          case 'row':
            return entry.check.resolve(parent as object, args, ctx as never, info, shieldOptions).then((verdict) => {
              if (verdict !== true) return refuse(ctx, info.path, entry, parent);
              if (entry.audit !== undefined) ctx.audit.touch(entry.audit, entry.then.kind, parent);
              const value = resolve(parent, args, ctx, info);
              return entry.then.kind === 'mask'
                ? Promise.resolve(value).then((v) => applyMask((entry.then as { mask: Parameters<typeof applyMask>[0] }).mask, v))
                : value;
            });
        }
      };
    }
  }
}
