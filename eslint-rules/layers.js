// The folder layering of Lantern as an ESLint rule, after VS Code's code-layering: each import
// is resolved against the importing file's folder, so `../../server/app` is caught as surely as
// a bare name would be. `no-restricted-imports` matches the specifier text only; it cannot tell
// `../x` in renderer/src/features/a from `../x` in renderer/src/features/a/sub.
//
// Options (eslint.config.js holds them, so the layering reads in one place):
//   layers      { [top folder]: top folders it may import, '*' = any }; a layer always may import
//               itself; a folder not named here is not checked (scripts/, root configs).
//   testsMayAlso { [top folder]: further folders its tests (*.test.ts[x]) may import }.
//   features    the folder whose sub-folders are features: none imports another's files.
//   shell       the folder whose own files (not sub-folders) may import features (App, main).
//   exceptions  [{ from, to, why }]: repository paths of one importer and one target; `why` is
//               required so that an exception explains itself where it is granted.
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** Repository-relative path with forward slashes, or null when outside the repository. */
function repoPath(abs) {
  const rel = path.relative(root, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return rel.split(path.sep).join('/');
}

// Imports name modules without their extension; exceptions may name the file with it.
const stripExt = (p) => p.replace(/\.[cm]?[jt]sx?$/, '');

const isTest = (file) => /\.test\.[cm]?[jt]sx?$/.test(file);

/** The feature a repository path belongs to (its folder under `features`), or null. */
function featureOf(file, features) {
  if (!file.startsWith(`${features}/`)) return null;
  const rest = file.slice(features.length + 1);
  const slash = rest.indexOf('/');
  return slash === -1 ? null : rest.slice(0, slash);
}

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'Folders import only the layers below them; features import no other feature.' },
    schema: [
      {
        type: 'object',
        properties: {
          layers: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
          testsMayAlso: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
          features: { type: 'string' },
          shell: { type: 'string' },
          exceptions: {
            type: 'array',
            items: {
              type: 'object',
              properties: { from: { type: 'string' }, to: { type: 'string' }, why: { type: 'string', minLength: 1 } },
              required: ['from', 'to', 'why'],
              additionalProperties: false,
            },
          },
        },
        required: ['layers'],
        additionalProperties: false,
      },
    ],
    messages: {
      layer: '{{fromLayer}}/ may not import {{toLayer}}/ ({{target}}); it may import: {{allowed}}.',
      feature: 'Feature "{{from}}" may not reach into feature "{{to}}" ({{target}}): move what both need to renderer/src/ui, state or api.',
      neutral: '{{file}} is shared by the features and may not import one ({{target}}); only the shell ({{shell}}/*) composes features.',
    },
  },

  create(context) {
    const { layers, testsMayAlso = {}, features, shell, exceptions = [] } = context.options[0];
    const file = repoPath(context.filename);
    if (!file) return {};
    const fromLayer = file.split('/')[0];
    const allowedLayers = layers[fromLayer];
    const fromFeature = features ? featureOf(file, features) : null;
    const inShell = shell !== undefined && path.posix.dirname(file) === shell;
    const inRendererNeutral = features !== undefined && shell !== undefined && !inShell && !fromFeature && file.startsWith(`${shell}/`);

    function check(node, specifier) {
      // Bare names (packages, node:*) are no-restricted-imports' business.
      if (typeof specifier !== 'string' || !specifier.startsWith('.')) return;
      const target = repoPath(path.resolve(path.dirname(context.filename), specifier));
      if (!target) return;
      if (exceptions.some((e) => e.from === file && stripExt(e.to) === stripExt(target))) return;
      const toLayer = target.split('/')[0];

      if (allowedLayers && toLayer !== fromLayer && toLayer in layers) {
        const ok = allowedLayers.includes('*') || allowedLayers.includes(toLayer) || (isTest(file) && (testsMayAlso[fromLayer] ?? []).includes(toLayer));
        if (!ok) {
          context.report({ node, messageId: 'layer', data: { fromLayer, toLayer, target, allowed: allowedLayers.length > 0 ? allowedLayers.join(', ') : 'none' } });
          return;
        }
      }

      if (!features) return;
      const toFeature = featureOf(target, features);
      if (!toFeature) return;
      if (fromFeature && fromFeature !== toFeature) {
        context.report({ node, messageId: 'feature', data: { from: fromFeature, to: toFeature, target } });
      } else if (inRendererNeutral) {
        context.report({ node, messageId: 'neutral', data: { file, target, shell } });
      }
    }

    const fromSource = (node) => {
      if (node.source && node.source.type === 'Literal') check(node.source, node.source.value);
    };
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: fromSource,
      // `import x = require('../y')` (TypeScript) and plain require calls.
      TSExternalModuleReference(node) {
        if (node.expression.type === 'Literal') check(node.expression, node.expression.value);
      },
      CallExpression(node) {
        const [arg] = node.arguments;
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && arg && arg.type === 'Literal') check(arg, arg.value);
      },
    };
  },
};
