import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root: the nearest folder above this module with Ringlet's package.json. Works both from
 * sources (server/http/) under tsx and from the build (dist/server/http/).
 */
export function packageRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'ringlet'
    ) {
      return dir;
    }
  }
  throw new Error('Cannot find the ringlet package root');
}

export interface AssetPaths {
  /** The single-file classic-script bundle served at `/widget.js`. */
  widgetBundle: string;
  /** The demo site served at `/`. */
  demoDir: string;
}

export function defaultAssetPaths(root = packageRoot()): AssetPaths {
  return { widgetBundle: join(root, 'dist', 'widget.js'), demoDir: join(root, 'demo') };
}
