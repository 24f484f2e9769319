import { ConfigError } from '../errors/pipeline-error.js';
import { didYouMean } from '../pipeline/closest-name.js';
import type { AnyPlugin, PluginKind } from '../plugins/plugin.js';
import type { Catalog } from '../model/catalog.js';

/** The plugins and catalogs a container holds, by id. */
export class PluginRegistry {
  private readonly plugins = new Map<string, AnyPlugin>();
  private readonly catalogs = new Map<string, Catalog>();

  constructor(plugins: readonly AnyPlugin[], catalogs: readonly Catalog[] = []) {
    for (const plugin of plugins) {
      if (this.plugins.has(plugin.id)) throw new Error(`two plugins share the id "${plugin.id}"`);
      this.plugins.set(plugin.id, plugin);
    }
    for (const catalog of catalogs) this.catalogs.set(catalog.id, catalog);
  }

  list(kind?: PluginKind): AnyPlugin[] {
    return [...this.plugins.values()].filter((p) => kind === undefined || p.kind === kind);
  }

  get<K extends PluginKind>(id: string, kind: K, configPath: string): Extract<AnyPlugin, { kind: K }> {
    const plugin = this.plugins.get(id);
    const candidates = this.list(kind).map((p) => p.id);
    if (!plugin) {
      throw new ConfigError(`${configPath}: unknown ${kind} plugin "${id}"${didYouMean(id, candidates)}`, {
        location: { configPath },
        hint: `${kind} plugins: ${candidates.join(', ') || '(none registered)'}`,
      });
    }
    if (plugin.kind !== kind) {
      throw new ConfigError(`${configPath}: "${id}" is a ${plugin.kind} plugin, not a ${kind} plugin`, {
        location: { configPath },
        hint: `${kind} plugins: ${candidates.join(', ')}`,
      });
    }
    return plugin as Extract<AnyPlugin, { kind: K }>;
  }

  catalog(id: string, configPath: string): Catalog {
    const catalog = this.catalogs.get(id);
    if (!catalog) {
      throw new ConfigError(`${configPath}: unknown catalog "${id}"${didYouMean(id, this.catalogs.keys())}`, {
        location: { configPath },
        hint: `catalogs: ${[...this.catalogs.keys()].join(', ') || '(none registered)'}`,
      });
    }
    return catalog;
  }
}
