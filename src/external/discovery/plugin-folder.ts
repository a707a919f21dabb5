/**
 * Where plugins are installed: `PACKER_PLUGIN_PATH`, else the config directory's
 * `plugins/` (Packer's PluginFolder and the SDK's pathing.ConfigDir on Unix).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The plugin folder, or why there is none (the message Packer gives). */
export type PluginFolder = { readonly path: string } | { readonly error: string };

/**
 * Packer 1.16's rules: `PACKER_PLUGIN_PATH` (a single folder; a list is an error);
 * else `$PACKER_CONFIG_DIR/.packer.d`; else `~/.packer.d` when it exists; else
 * `$XDG_CONFIG_HOME/packer`; else `~/.config/packer` — each followed by `plugins`.
 * On Windows the home is `%APPDATA%` and the folder `packer.d`.
 */
export function pluginFolder(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): PluginFolder {
  const listSep = platform === 'win32' ? ';' : ':';
  const fromEnv = env.PACKER_PLUGIN_PATH;
  if (fromEnv) {
    if (fromEnv.includes(listSep)) {
      const options = fromEnv.split(listSep).map((p) => `* PACKER_PLUGIN_PATH=${p}`).join('\n');
      return { error: `Multiple paths are no longer supported for PACKER_PLUGIN_PATH.\nThis should be defined as one of the following options for your environment:\n${options}` };
    }
    return { path: fromEnv };
  }
  const dir = configDir(env, platform);
  return 'error' in dir ? dir : { path: path.join(dir.path, 'plugins') };
}

function configDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): PluginFolder {
  if (platform === 'win32') {
    const base = env.PACKER_CONFIG_DIR || env.APPDATA || env.HOME;
    if (!base) return { error: 'No %APPDATA% environment variable found, required to set Config Directory' };
    return { path: path.join(base, 'packer.d') };
  }
  if (env.PACKER_CONFIG_DIR) return { path: path.join(env.PACKER_CONFIG_DIR, '.packer.d') };
  const home = env.HOME;
  if (!home) return { error: 'No $HOME environment variable found, required to set Config Directory' };
  const legacy = path.join(home, '.packer.d');
  if (existsSync(legacy)) return { path: legacy };
  if (env.XDG_CONFIG_HOME) return { path: path.join(env.XDG_CONFIG_HOME, 'packer') };
  return { path: path.join(home, '.config', 'packer') };
}
