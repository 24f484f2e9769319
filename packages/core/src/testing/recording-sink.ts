import { WarehouseError } from '../errors/pipeline-error.js';
import type { Sink } from '../ports/sink.js';

/**
 * The sink, with the SQL of every `query` pushed onto `queries`, and a query matching `failOn`
 * failing as a warehouse would (a WarehouseError naming the SQL): for tests of steps that query.
 */
export function recordingSink(sink: Sink, queries: string[], failOn?: RegExp): Sink {
  return new Proxy(sink, {
    get(target, property) {
      if (property === 'query') {
        return async (sql: string, options?: Parameters<Sink['query']>[1]) => {
          queries.push(sql);
          if (failOn?.test(sql)) throw new WarehouseError('injected failure', { location: { sql } });
          return target.query(sql, options);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
