import { ConfigError } from '../errors/pipeline-error.js';
import { didYouMean } from './closest-name.js';

export interface DagNode {
  id: string;
  after: readonly string[];
}

/**
 * Checks that every `after` names a step and that the steps form no cycle; returns the ids in a
 * topological order (stable: file order where the DAG allows it).
 */
export function orderSteps(nodes: readonly DagNode[]): string[] {
  const index = new Map<string, number>();
  nodes.forEach((node, i) => {
    if (index.has(node.id)) {
      throw new ConfigError(`steps[${i}].id: duplicate step id "${node.id}" (also steps[${index.get(node.id)}])`, {
        location: { configPath: `steps[${i}].id` },
      });
    }
    index.set(node.id, i);
  });
  nodes.forEach((node, i) =>
    node.after.forEach((dependency, j) => {
      if (!index.has(dependency)) {
        throw new ConfigError(`steps[${i}].after[${j}]: unknown step "${dependency}"${didYouMean(dependency, index.keys())}`, {
          location: { configPath: `steps[${i}].after[${j}]` },
        });
      }
    }),
  );
  const cycle = findCycle(nodes);
  if (cycle) {
    const at = index.get(cycle[0]!)!;
    throw new ConfigError(`steps[${at}].after: the steps form a cycle: ${cycle.join(' → ')}`, {
      location: { configPath: `steps[${at}].after` },
      hint: 'remove one of these "after" entries',
    });
  }
  const order: string[] = [];
  const done = new Set<string>();
  while (order.length < nodes.length) {
    for (const node of nodes) {
      if (!done.has(node.id) && node.after.every((d) => done.has(d))) {
        order.push(node.id);
        done.add(node.id);
      }
    }
  }
  return order;
}

function findCycle(nodes: readonly DagNode[]): string[] | undefined {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const dependency of byId.get(id)?.after ?? []) {
      const cycle = visit(dependency);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const node of nodes) {
    const cycle = visit(node.id);
    // Reported in execution order: a runs before b runs before ... a.
    if (cycle) return cycle.reverse();
  }
  return undefined;
}

/**
 * Runs nodes as soon as their dependencies finish, at most `concurrency` at once. On the first
 * failure no new node starts; the ones running are left to settle (they see the abort signal),
 * then the first error is thrown.
 */
export async function runDag(
  nodes: readonly DagNode[],
  concurrency: number,
  runNode: (id: string) => Promise<void>,
  onSkipped: (id: string) => void = () => {},
): Promise<void> {
  const pending = new Map(nodes.map((n) => [n.id, n]));
  const finished = new Set<string>();
  const running = new Map<string, Promise<void>>();
  let failure: { error: unknown } | undefined;

  while (pending.size > 0 || running.size > 0) {
    if (!failure) {
      for (const node of [...pending.values()]) {
        if (running.size >= concurrency) break;
        if (node.after.every((d) => finished.has(d))) {
          pending.delete(node.id);
          const task = runNode(node.id).then(
            () => {
              finished.add(node.id);
            },
            (error: unknown) => {
              failure ??= { error };
            },
          );
          running.set(node.id, task.finally(() => running.delete(node.id)));
        }
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  if (failure) {
    for (const id of pending.keys()) onSkipped(id);
    throw failure.error;
  }
}
