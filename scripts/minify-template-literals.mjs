// Rollup plugin for the widget bundle: minifies the text of lit's css`…`, html`…` and svg`…` templates in
// the widget's own modules, which terser leaves as written (comments, indentation and all). Only text that
// cannot matter goes: CSS comments and the blanks around CSS punctuation, and in markup each run of blanks
// that spans lines becomes one space (never removed: between inline elements it is a rendered space).
// Quoted strings and attribute values are kept byte for byte. The module's source map is regenerated.

const TAGS = new Set(['css', 'html', 'svg']);
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Minifies the raw text of a css`` template, each element of `quasis` being the text between two `${}`.
 * Returns null (leave the template alone) when it has an escape, or a comment or a string not closed
 * within its piece.
 */
export function minifyCss(quasis) {
  if (quasis.some((text) => text.includes('\\'))) return null;
  const out = [];
  for (const text of quasis) {
    // Strings and comments first, so that nothing inside a string is touched.
    let result = '';
    let i = 0;
    while (i < text.length) {
      const char = text[i];
      if (char === '"' || char === "'") {
        const end = text.indexOf(char, i + 1);
        if (end < 0) return null;
        result += `\u0000${text.slice(i, end + 1)}\u0000`;
        i = end + 1;
      } else if (text.startsWith('/*', i)) {
        const end = text.indexOf('*/', i + 2);
        if (end < 0) return null;
        result += ' ';
        i = end + 2;
      } else {
        result += char;
        i++;
      }
    }
    const parts = result.split('\u0000');
    for (let p = 0; p < parts.length; p += 2) {
      parts[p] = parts[p]
        .replace(/\s+/g, ' ')
        // No blank is needed around these; a blank before `:` would be a descendant selector, so only after.
        .replace(/ ?([{};,]) ?/g, '$1')
        .replace(/: /g, ':')
        .replace(/;}/g, '}');
    }
    out.push(parts.join(''));
  }
  // A blank at either end of the whole stylesheet is never needed.
  out[0] = out[0].replace(/^ /, '');
  out[out.length - 1] = out[out.length - 1].replace(/ $/, '');
  return out;
}

/**
 * Minifies the raw text of an html`` or svg`` template: each run of blanks that includes a line break
 * becomes one space, except inside quoted attribute values (which may span `${}`). Returns null (leave the
 * template alone) for one with an escape, or with elements whose blanks are content (`pre`, `textarea`).
 */
export function minifyMarkup(quasis) {
  if (quasis.some((text) => /\\|<(pre|textarea)\b/i.test(text))) return null;
  let inTag = false;
  let quote = null;
  return quasis.map((text) => {
    let result = '';
    let i = 0;
    while (i < text.length) {
      const char = text[i];
      if (quote) {
        if (char === quote) quote = null;
        result += char;
        i++;
        continue;
      }
      if (/\s/.test(char)) {
        let end = i;
        while (end < text.length && /\s/.test(text[end])) end++;
        const run = text.slice(i, end);
        // Inside a tag nothing is needed before its `>` or `/>`.
        const closesTag = inTag && (text[end] === '>' || text.startsWith('/>', end));
        result += closesTag ? '' : /[\n\r]/.test(run) ? ' ' : run;
        i = end;
        continue;
      }
      if (char === '<' && /[a-z/!]/i.test(text[i + 1] ?? '')) inTag = true;
      else if (char === '>') inTag = false;
      else if (inTag && (char === '"' || char === "'")) quote = char;
      result += char;
      i++;
    }
    return result;
  });
}

function isTemplateTag(node) {
  return (
    node.type === 'TaggedTemplateExpression' && node.tag.type === 'Identifier' && TAGS.has(node.tag.name)
  );
}

function* walk(node) {
  if (!node || typeof node.type !== 'string') return;
  yield node;
  for (const key of Object.keys(node)) {
    const value = node[key];
    if (Array.isArray(value)) for (const child of value) yield* walk(child);
    else if (value && typeof value === 'object') yield* walk(value);
  }
}

function vlq(value) {
  let rest = value < 0 ? (-value << 1) | 1 : value << 1;
  let out = '';
  do {
    let digit = rest & 31;
    rest >>>= 5;
    if (rest > 0) digit |= 32;
    out += BASE64[digit];
  } while (rest > 0);
  return out;
}

/**
 * A source map for `pieces`: kept pieces (`from` set) map token by token to their original place, a
 * minified piece maps as a whole to where it started.
 */
function sourceMapOf(code, pieces, id) {
  const lineStarts = [0];
  for (let i = 0; i < code.length; i++) if (code[i] === '\n') lineStarts.push(i + 1);
  const position = (offset) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return [low, offset - lineStarts[low]];
  };
  const lines = [[]];
  let column = 0;
  let previous = [0, 0];
  let lastColumn = 0;
  const mark = (offset) => {
    const [line, col] = position(offset);
    const segment = vlq(column - lastColumn) + vlq(0) + vlq(line - previous[0]) + vlq(col - previous[1]);
    lines[lines.length - 1].push(segment);
    lastColumn = column;
    previous = [line, col];
  };
  const emitText = (text, from) => {
    for (let i = 0; i < text.length; i++) {
      const char = text[i];
      if (char === '\n') {
        lines.push([]);
        column = 0;
        lastColumn = 0;
        continue;
      }
      const tokenStart = i === 0 || (/[\w$]/.test(char) ? !/[\w$]/.test(text[i - 1]) : !/\s/.test(char));
      if (from !== undefined && tokenStart && !/\s/.test(char)) mark(from + i);
      column++;
    }
  };
  for (const piece of pieces) {
    if (piece.from === undefined && piece.text.length > 0) mark(piece.at);
    emitText(piece.text, piece.from);
  }
  return {
    version: 3,
    sources: [id],
    sourcesContent: [code],
    names: [],
    mappings: lines.map((segments) => segments.join(',')).join(';'),
  };
}

/** Only the widget's own modules: the libraries are minified by their authors or not at all. */
export function minifyTemplateLiterals({ include = /[\\/]dist[\\/]widget[\\/]/ } = {}) {
  return {
    name: 'minify-template-literals',
    transform(code, id) {
      if (!include.test(id) || !/\b(css|html|svg)\s*`/.test(code)) return null;
      const edits = [];
      for (const node of walk(this.parse(code))) {
        if (!isTemplateTag(node)) continue;
        const raw = node.quasi.quasis.map((quasi) => quasi.value.raw);
        const minified = node.tag.name === 'css' ? minifyCss(raw) : minifyMarkup(raw);
        if (!minified) {
          this.warn(`left a ${node.tag.name}\`\` template in ${id} unminified (offset ${node.start})`);
          continue;
        }
        // A quasi's raw text sits between its backtick or `}` and its backtick or `${`.
        node.quasi.quasis.forEach((quasi, i) => {
          const start = quasi.start;
          if (code.slice(start, start + quasi.value.raw.length) !== quasi.value.raw) {
            this.error(`unexpected template position in ${id} at offset ${start}`);
          }
          edits.push({ start, end: start + quasi.value.raw.length, text: minified[i] });
        });
      }
      if (edits.length === 0) return null;
      edits.sort((a, b) => a.start - b.start);
      const pieces = [];
      let offset = 0;
      for (const edit of edits) {
        pieces.push({ text: code.slice(offset, edit.start), from: offset });
        pieces.push({ text: edit.text, at: edit.start });
        offset = edit.end;
      }
      pieces.push({ text: code.slice(offset), from: offset });
      return { code: pieces.map((piece) => piece.text).join(''), map: sourceMapOf(code, pieces, id) };
    },
  };
}
