// `npm run analyze` (also the last step of `npm run build`): writes custom-elements.json, the Custom Elements
// Manifest of <video-call-button> and <video-call-window>, from the JSDoc and the Lit `static properties` of
// the component classes. Editors, Storybook and documentation tools read it;
// test/node/custom-elements.test.ts checks it against the README's widget reference.

const COMPONENTS = 'widget/components/*/video-call-*.component.ts';

/** Where a source module ends up in the published package: `widget/x.ts` → `dist/widget/x.js`. */
function publishedPath(path) {
  return path.replace(/^widget\//, 'dist/widget/').replace(/\.ts$/, '.js');
}

/**
 * The manifest lists the public API only: no private or protected members, no static Lit plumbing
 * (`styles`, `shadowRootOptions`). Paths point at the built JavaScript the package ships, and each element
 * gets the module that defines its tag (the `video-call-*.js` beside the component, through defineElement).
 */
function ringletPublicApi() {
  return {
    name: 'ringlet-public-api',
    packageLinkPhase({ customElementsManifest }) {
      const definitions = [];
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          if (declaration.kind !== 'class') continue;
          const isPublic = (member) => !member.static && (member.privacy ?? 'public') === 'public';
          // Private reactive state (`state: true` in `static properties`) has no attribute, whatever the
          // analyzer infers from the declaration.
          const hidden = new Set((declaration.members ?? []).filter((m) => !isPublic(m)).map((m) => m.name));
          if (declaration.attributes) {
            declaration.attributes = declaration.attributes.filter((a) => !hidden.has(a.fieldName));
          }
          declaration.members = (declaration.members ?? []).filter(isPublic);
          // Public is the default: said once, here, rather than on the members from `static properties`.
          for (const member of declaration.members) delete member.privacy;
          if (declaration.customElement && declaration.tagName) {
            const component = { name: declaration.name, module: publishedPath(module.path) };
            definitions.push({
              kind: 'javascript-module',
              path: publishedPath(module.path.replace(/\.component\.ts$/, '.ts')),
              declarations: [],
              exports: [
                { kind: 'js', name: declaration.name, declaration: component },
                { kind: 'custom-element-definition', name: declaration.tagName, declaration: component },
              ],
            });
          }
        }
        for (const entry of module.exports ?? []) {
          if (entry.declaration?.module) entry.declaration.module = publishedPath(entry.declaration.module);
        }
        module.path = publishedPath(module.path);
      }
      customElementsManifest.modules.push(...definitions);
    },
  };
}

export default {
  globs: [COMPONENTS],
  outdir: '.',
  litelement: true,
  // package.json names the manifest itself (`customElements`).
  packagejson: false,
  plugins: [ringletPublicApi()],
};
