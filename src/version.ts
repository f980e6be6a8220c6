/** The product version; esbuild replaces __TRIO2O_VERSION__ from package.json at build time. */
declare const __TRIO2O_VERSION__: string | undefined;
export const VERSION: string = typeof __TRIO2O_VERSION__ === 'string' ? __TRIO2O_VERSION__ : '0.1.0-dev';
