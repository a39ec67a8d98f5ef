// yaml.mjs — a parser for the subset of YAML that docs/openapi.yaml is written in, so
// that the API tests need no npm package.
//
// The subset: block mappings ("key: value", "key:" + an indented block), block
// sequences ("- item", including "- key: value" mappings inside a sequence), plain
// scalars (null, ~, true, false, integers, floats, other text), single- and
// double-quoted strings, flow sequences and mappings on one line ("[a, 'b']",
// "{type: string}"), literal and folded block scalars ("|", "|-", ">", ">-") and
// comments. Anything else (anchors, aliases, tags, tabs for indentation, multi-line
// flow collections, several documents) is an error with its line number, so the file
// cannot drift out of what this parser reads correctly.

class YamlError extends Error {
  constructor(msg, lineNo) {
    super(lineNo ? `yaml line ${lineNo}: ${msg}` : `yaml: ${msg}`);
  }
}

// Removes a trailing comment: a '#' at the start or after white space, outside quotes.
function stripComment(s) {
  let quote = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (quote === "'" && c === "'" && s[i + 1] === "'") i++;
      else if (quote === '"' && c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"') {
      if (i === 0 || /[\s:[{,\-]/.test(s[i - 1])) quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(s[i - 1]))) {
      return s.slice(0, i);
    }
  }
  return s;
}

function parseDoubleQuoted(s, lineNo) {
  // The escapes YAML's double-quoted style shares with JSON are all we need.
  try {
    return JSON.parse(s.replace(/\\\//g, '/'));
  } catch {
    throw new YamlError(`bad double-quoted string ${s}`, lineNo);
  }
}

function plainScalar(s, lineNo) {
  if (s === '' || s === '~' || s === 'null') return null;
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (/^[-+]?\d+$/.test(s)) return Number(s);
  if (/^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/.test(s)) return Number(s);
  if (/^[&*!%@`|>]/.test(s)) throw new YamlError(`unsupported YAML feature in "${s}"`, lineNo);
  return s;
}

// Flow values on one line: [..], {..}, quoted or plain scalars.
function parseFlow(text, lineNo) {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const value = (stops) => {
    ws();
    const c = text[i];
    if (c === '[') {
      i++;
      const out = [];
      ws();
      if (text[i] === ']') {
        i++;
        return out;
      }
      for (;;) {
        out.push(value(',]'));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return out;
        }
        throw new YamlError(`expected , or ] in ${text}`, lineNo);
      }
    }
    if (c === '{') {
      i++;
      const out = {};
      ws();
      if (text[i] === '}') {
        i++;
        return out;
      }
      for (;;) {
        const k = value(':');
        ws();
        if (text[i] !== ':') throw new YamlError(`expected : in ${text}`, lineNo);
        i++;
        out[String(k)] = value(',}');
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return out;
        }
        throw new YamlError(`expected , or } in ${text}`, lineNo);
      }
    }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) throw new YamlError(`unterminated string in ${text}`, lineNo);
      const s = parseDoubleQuoted(text.slice(i, j + 1), lineNo);
      i = j + 1;
      return s;
    }
    if (c === "'") {
      let j = i + 1;
      let s = '';
      for (;;) {
        if (j >= text.length) throw new YamlError(`unterminated string in ${text}`, lineNo);
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            s += "'";
            j += 2;
            continue;
          }
          break;
        }
        s += text[j++];
      }
      i = j + 1;
      return s;
    }
    let j = i;
    while (j < text.length && !stops.includes(text[j])) {
      // In flow context ':' ends a key only when followed by a space or a stop.
      j++;
    }
    const raw = text.slice(i, j).trim();
    i = j;
    return plainScalar(raw, lineNo);
  };
  const v = value('');
  ws();
  if (i !== text.length) throw new YamlError(`unexpected text after value: ${text.slice(i)}`, lineNo);
  return v;
}

// A scalar or flow value written after "key:" or "- " on the same line.
function inlineValue(text, lineNo) {
  const t = text.trim();
  if (t.startsWith('[') || t.startsWith('{') || t.startsWith('"') || t.startsWith("'")) {
    return parseFlow(t, lineNo);
  }
  return plainScalar(t, lineNo);
}

// Splits "key: rest" at the first ': ' (or a final ':') outside quotes. Returns null
// when the line is not a mapping entry.
function splitKey(text) {
  let i = 0;
  let key;
  if (text[0] === '"' || text[0] === "'") {
    const q = text[0];
    let j = 1;
    while (j < text.length && text[j] !== q) j += q === '"' && text[j] === '\\' ? 2 : 1;
    if (j >= text.length) return null;
    key = q === '"' ? JSON.parse(text.slice(0, j + 1)) : text.slice(1, j).replace(/''/g, "'");
    i = j + 1;
    if (text[i] !== ':') return null;
  } else {
    if (text[0] === '[' || text[0] === '{') return null;
    const m = /^([^:]*?):(\s|$)/.exec(text);
    if (!m) return null;
    key = m[1];
    i = m[1].length;
  }
  const rest = text.slice(i + 1);
  if (rest !== '' && !/^\s/.test(rest)) return null;
  return { key: String(key), rest: rest.trim() };
}

export function parseYaml(source) {
  const lines = [];
  source.split(/\r?\n/).forEach((raw, idx) => {
    lines.push({ raw, no: idx + 1 });
  });
  // Logical lines: indentation, text without comment; blank lines dropped except
  // inside block scalars, which read `raw` themselves.
  const indentOf = (raw) => raw.length - raw.trimStart().length;
  let pos = 0;

  const nextContent = () => {
    while (pos < lines.length) {
      const { raw, no } = lines[pos];
      if (/^\t/.test(raw) || /^ *\t/.test(raw)) throw new YamlError('tab in indentation', no);
      const t = stripComment(raw).trimEnd();
      if (t.trim() === '' || t.trim() === '---') {
        if (t.trim() === '---' && pos !== 0) throw new YamlError('several documents', no);
        pos++;
        continue;
      }
      if (t.trim() === '...') throw new YamlError('document end marker', no);
      return { indent: indentOf(t), text: t.trim(), no };
    }
    return null;
  };

  const blockScalar = (style, parentIndent) => {
    const out = [];
    let blockIndent = null;
    while (pos < lines.length) {
      const raw = lines[pos].raw;
      if (raw.trim() === '') {
        out.push('');
        pos++;
        continue;
      }
      const ind = indentOf(raw);
      if (ind <= parentIndent) break;
      if (blockIndent === null) blockIndent = ind;
      if (ind < blockIndent) break;
      out.push(raw.slice(blockIndent));
      pos++;
    }
    while (out.length && out[out.length - 1] === '') out.pop();
    let text;
    if (style[0] === '|') {
      text = out.join('\n');
    } else {
      // Folded: single newlines become spaces, blank lines stay newlines.
      text = '';
      for (let k = 0; k < out.length; k++) {
        if (out[k] === '') text += '\n';
        else text += (text && !text.endsWith('\n') ? ' ' : '') + out[k];
      }
    }
    return style.endsWith('-') ? text : text + '\n';
  };

  // Parses the block whose lines are indented exactly `indent`.
  const block = (indent) => {
    const first = nextContent();
    if (!first || first.indent < indent) return null;
    if (first.indent > indent) throw new YamlError('unexpected indentation', first.no);
    return first.text.startsWith('- ') || first.text === '-' ? sequence(indent) : mapping(indent);
  };

  // The value after "key:" / "- " with `rest` on the same line; `indent` is the
  // indentation of the key (or of the dash).
  const valueAfter = (rest, indent, no, seqItem) => {
    if (rest === '') {
      const nxt = nextContent();
      if (!nxt || nxt.indent < indent || (nxt.indent === indent && !seqItem && !nxt.text.startsWith('-'))) {
        return null;
      }
      if (nxt.indent === indent) {
        // "key:" followed by a sequence at the same indentation (a YAML allowance).
        if (!nxt.text.startsWith('- ') && nxt.text !== '-') return null;
        if (seqItem) return null;
        return sequence(indent);
      }
      return block(nxt.indent);
    }
    if (/^[|>][-+]?$/.test(rest)) return blockScalar(rest, indent);
    return inlineValue(rest, no);
  };

  function mapping(indent) {
    const out = {};
    for (;;) {
      const ln = nextContent();
      if (!ln || ln.indent < indent) return out;
      if (ln.indent > indent) throw new YamlError('unexpected indentation', ln.no);
      if (ln.text.startsWith('- ')) return out; // a sequence at the parent's "key:" level
      const kv = splitKey(ln.text);
      if (!kv) throw new YamlError(`expected "key: value", got "${ln.text}"`, ln.no);
      if (Object.prototype.hasOwnProperty.call(out, kv.key)) {
        throw new YamlError(`duplicate key "${kv.key}"`, ln.no);
      }
      pos++;
      out[kv.key] = valueAfter(kv.rest, indent, ln.no, false);
    }
  }

  function sequence(indent) {
    const out = [];
    for (;;) {
      const ln = nextContent();
      if (!ln || ln.indent < indent) return out;
      if (ln.indent > indent) throw new YamlError('unexpected indentation', ln.no);
      if (!(ln.text.startsWith('- ') || ln.text === '-')) return out;
      pos++;
      const rest = ln.text === '-' ? '' : ln.text.slice(2).trim();
      const kv = rest && !/^[[{]/.test(rest) ? splitKey(rest) : null;
      if (kv) {
        // "- key: value" opens a mapping whose keys sit at indent + 2.
        const itemIndent = indent + (ln.text.length - ln.text.slice(1).trimStart().length);
        const item = {};
        item[kv.key] = valueAfter(kv.rest, itemIndent, ln.no, false);
        const more = mapping(itemIndent);
        for (const [k, v] of Object.entries(more)) {
          if (Object.prototype.hasOwnProperty.call(item, k)) throw new YamlError(`duplicate key "${k}"`, ln.no);
          item[k] = v;
        }
        out.push(item);
      } else {
        out.push(valueAfter(rest, indent, ln.no, true));
      }
    }
  }

  const doc = block(0);
  const rest = nextContent();
  if (rest) throw new YamlError(`unexpected text "${rest.text}"`, rest.no);
  return doc;
}
